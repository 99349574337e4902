// The device's representative beats as stored with its reading (see RepresentativeBeats).
import type { LeadSignal, RepresentativeBeats } from '../../src-shared/record.ts';

/** Int16 leads of equal length as RepresentativeBeats; undefined when there are none. */
export function representativeBeats(leads: LeadSignal[], samplingRate: number, method?: string): RepresentativeBeats | undefined {
  const kept = leads.filter((l): l is LeadSignal & { digital: Int16Array } => l.digital instanceof Int16Array && l.digital.length > 0);
  if (kept.length === 0) return undefined;
  const length = Math.min(...kept.map((l) => l.digital.length));
  return {
    samplingRate,
    length,
    ...(method ? { method } : {}),
    leads: kept.map((l) => {
      const d = l.digital.subarray(0, length);
      // Copy to a little-endian buffer explicitly: typed arrays follow the host's byte order.
      const bytes = Buffer.alloc(length * 2);
      for (let i = 0; i < length; i++) bytes.writeInt16LE(d[i], i * 2);
      return { name: l.name, units: l.units, gain: l.gain, baseline: l.baseline, values: bytes.toString('base64') };
    }),
  };
}
