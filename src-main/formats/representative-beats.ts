// The device's representative beats as stored with its reading (see RepresentativeBeats), and as the API sends them.
import type { DeviceBeats, DeviceReading, DeviceReadingView, LeadSignal, RepresentativeBeats } from '../../src-shared/record.ts';

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

/** The beats as records.deviceBeats sends them: each lead's Int16 samples, decoded from the stored base64. */
export function decodeRepresentativeBeats(beats: RepresentativeBeats): DeviceBeats {
  return {
    samplingRate: beats.samplingRate,
    length: beats.length,
    ...(beats.method ? { method: beats.method } : {}),
    leads: beats.leads.map((l) => {
      const bytes = Buffer.from(l.values, 'base64');
      const digital = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < digital.length; i++) digital[i] = bytes.readInt16LE(i * 2);
      return { name: l.name, units: l.units, gain: l.gain, baseline: l.baseline, digital };
    }),
  };
}

/** The reading as records.get sends it: the beats' samples left out (they travel as bytes, records.deviceBeats). */
export function deviceReadingView(device: DeviceReading): DeviceReadingView {
  const { representativeBeats: beats, ...rest } = device;
  return beats ? { ...rest, representativeBeats: { ...beats, leads: beats.leads.map((l) => l.name) } } : rest;
}
