import { STANDARD_LEADS, type EcgRecord } from '../../src-shared/record.ts';

/** A deterministic 12-lead record (int16 at 1000/mV) for store tests; `seed` changes its content. */
export function syntheticRecord(opts: { seed?: number; length?: number; fs?: number; name?: string } = {}): EcgRecord {
  const seed = opts.seed ?? 1;
  const length = opts.length ?? 5000;
  const fs = opts.fs ?? 500;
  return {
    format: 'test',
    recordName: opts.name ?? `SYN${seed}`,
    samplingRate: fs,
    length,
    leads: STANDARD_LEADS.map((name, k) => {
      const d = new Int16Array(length);
      for (let i = 0; i < length; i++)
        d[i] = Math.round(800 * Math.sin((2 * Math.PI * (i + 37 * k)) / (fs * 0.8)) + ((i * 7919 + seed * 104729 + k * 31) % 97) - 48);
      return { name, units: 'mV', gain: 1000, baseline: 0, digital: d };
    }),
    labels: [{ vocabulary: 'SNOMED', code: '426783006' }],
    attributes: {},
  };
}
