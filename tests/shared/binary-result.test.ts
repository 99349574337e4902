import { describe, expect, it } from 'vitest';
import { decodeBinaryResult, encodeBinaryResult } from '../../src-shared/binary-result.ts';

describe('binary result codec', () => {
  it('round-trips typed arrays as aligned views onto the received buffer, and the rest as JSON', () => {
    const result = {
      start: 3600,
      bucketSize: 1,
      filters: ['bandpass'],
      note: null,
      leads: [
        { name: 'I', sampleType: 'int16', values: Int16Array.from([-32768, -1, 0, 1, 32767]) },
        { name: 'II', sampleType: 'int32', values: Int32Array.from([-2147483648, 7, 2147483647]) },
        { name: 'V1', sampleType: 'float32', values: Float32Array.from([0.125, -1.5, Number.NaN]) },
      ],
      map: new Uint8Array(0),
    };
    // A view into a larger buffer at an odd offset: only its own bytes travel.
    const big = new Int16Array(100).map((_, i) => i);
    const sliced = { values: new Int16Array(big.buffer, 2 * 3, 5) };
    const buffer = encodeBinaryResult({ ...result, sliced });
    const back = decodeBinaryResult<typeof result & { sliced: { values: Int16Array } }>(buffer);
    expect(back.start).toBe(3600);
    expect(back.filters).toEqual(['bandpass']);
    expect(back.note).toBeNull();
    expect(back.leads[0].values).toBeInstanceOf(Int16Array);
    expect(Array.from(back.leads[0].values)).toEqual([-32768, -1, 0, 1, 32767]);
    expect(back.leads[1].values).toBeInstanceOf(Int32Array);
    expect(Array.from(back.leads[1].values)).toEqual([-2147483648, 7, 2147483647]);
    expect(back.leads[2].values).toBeInstanceOf(Float32Array);
    expect(Array.from(back.leads[2].values)).toEqual([0.125, -1.5, Number.NaN]);
    expect(back.map).toBeInstanceOf(Uint8Array);
    expect(back.map.length).toBe(0);
    expect(Array.from(back.sliced.values)).toEqual([3, 4, 5, 6, 7]);
    // Views, not copies, and 8-byte aligned.
    for (const v of [back.leads[0].values, back.leads[1].values, back.leads[2].values, back.sliced.values]) {
      expect(v.buffer).toBe(buffer);
      expect(v.byteOffset % 8).toBe(0);
    }
    // The bytes are the samples themselves: far smaller than base64 in JSON would be for a real window.
    const window = { values: new Int16Array(5000 * 12) };
    expect(encodeBinaryResult(window).byteLength).toBeLessThan(5000 * 12 * 2 + 200);
  });

  it('refuses buffers that are not its own or that point outside themselves, in one line', () => {
    expect(() => decodeBinaryResult(new ArrayBuffer(4))).toThrow(/^binary result: truncated$/);
    expect(() => decodeBinaryResult(new TextEncoder().encode('{"result":1}   ').buffer)).toThrow(/not a LeadLens binary result/);
    const good = encodeBinaryResult({ values: new Float32Array([1, 2, 3]) });
    expect(() => decodeBinaryResult(good.slice(0, good.byteLength - 8))).toThrow(/section 0 is malformed/);
    const header = new DataView(good);
    const longHeader = good.slice(0);
    new DataView(longHeader).setUint32(4, header.getUint32(4, true) + 10_000, true);
    expect(() => decodeBinaryResult(longHeader)).toThrow(/header runs past the end/);
    expect(() => encodeBinaryResult({ values: new Float64Array(2) })).toThrow(/unsupported array type Float64Array/);
  });
});
