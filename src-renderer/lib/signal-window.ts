import type { SignalWindow } from '../../src-shared/api.ts';
import { millivoltsPerUnit } from '../../src-shared/record.ts';

/** A signal window's leads as millivolts (raw windows) or min/max millivolt pairs (pyramid windows). */
export function windowMillivolts(w: SignalWindow): Float32Array[] {
  return w.leads.map((lead) => {
    // Display-filtered windows arrive as millivolts already: drawn as they came.
    if (lead.sampleType === 'float32') return lead.values;
    const values = lead.values;
    const k = (millivoltsPerUnit(lead.units) ?? 1) / lead.gain;
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = (values[i] - lead.baseline) * k;
    return out;
  });
}
