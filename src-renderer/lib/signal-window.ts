import type { SignalWindow } from '../../src-shared/api.ts';
import { millivoltsPerUnit } from '../../src-shared/record.ts';

// Native base64 decoding (Chromium 140+) is many times faster than atob and a per-character loop.
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;

function base64Bytes(text: string): Uint8Array {
  if (fromBase64) return fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A signal window's leads as millivolts (raw windows) or min/max millivolt pairs (pyramid windows). */
export function windowMillivolts(w: SignalWindow): Float32Array[] {
  return w.leads.map((lead) => {
    const bytes = base64Bytes(lead.values);
    const values = lead.sampleType === 'int32' ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) : new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    const k = (millivoltsPerUnit(lead.units) ?? 1) / lead.gain;
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = (values[i] - lead.baseline) * k;
    return out;
  });
}
