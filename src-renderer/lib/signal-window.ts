import type { SignalWindow } from '../../src-shared/api.ts';
import { millivoltsPerUnit } from '../../src-shared/record.ts';

/** A signal window's leads as millivolts (raw windows) or min/max millivolt pairs (pyramid windows). */
export function windowMillivolts(w: SignalWindow): Float32Array[] {
  return w.leads.map((lead) => {
    const text = atob(lead.values);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const values = lead.sampleType === 'int32' ? new Int32Array(bytes.buffer) : new Int16Array(bytes.buffer);
    const k = (millivoltsPerUnit(lead.units) ?? 1) / lead.gain;
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = (values[i] - lead.baseline) * k;
    return out;
  });
}
