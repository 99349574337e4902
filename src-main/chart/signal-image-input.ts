// An image model's input made of signal images: each lead (already preprocessed to the model's sampling rate and
// length) becomes one Gramian angular field, Markov transition field or recurrence plot, and the leads are stacked
// as channels of one [size, size, leads] image. Training, predict and explain all build it through
// `signalImageInput`, and `signalImageAttributionToTime` takes an image-space attribution back to lead x time.
import {
  gramianAngularField,
  markovTransitionField,
  recurrencePlot,
  segmentBounds,
  signalImageToTime,
  type SignalImage,
} from './signal-images.ts';

export type SignalImageTransform = 'gaf' | 'mtf' | 'rp';

/** The input part of a signal-image model's card (stored as its input spec). */
export interface SignalImageCard {
  kind: 'signal-image';
  transform: SignalImageTransform;
  /** Images are size x size (piecewise aggregate approximation of the lead to `size` points). */
  size: number;
  /** GAF: the summation field (GASF). MTF: quantile bins. RP: unthresholded |x_i - x_j|. */
  gaf: 'summation';
  mtfBins: number;
  /** Image channels, one per lead in this order. */
  leads: string[];
  channels: 'one-lead-per-channel';
  /** How each lead is prepared before the transform (the signal input pipeline). */
  signal: { samplingRate: number; samples: number; bandpass: { lowHz: number; highHz: number } | null; zscore: boolean };
}

export const SIGNAL_IMAGE_TRANSFORMS: readonly SignalImageTransform[] = ['gaf', 'mtf', 'rp'];

/** A card for `transform` over `leads`; throws one line for a bad size. */
export function signalImageCard(
  transform: SignalImageTransform,
  leads: readonly string[],
  signal: SignalImageCard['signal'],
  size = 64,
): SignalImageCard {
  if (!Number.isInteger(size) || size < 8 || size > 512) throw new Error(`--image-size must be an integer in 8..512, got ${size}`);
  if (size > signal.samples) throw new Error(`--image-size ${size} exceeds the ${signal.samples} samples of a lead`);
  return {
    kind: 'signal-image',
    transform,
    size,
    gaf: 'summation',
    mtfBins: 8,
    leads: [...leads],
    channels: 'one-lead-per-channel',
    signal: { ...signal },
  };
}

/** The card stored with a signal-image model, checked field by field. */
export function readSignalImageCard(stored: Record<string, unknown>, where: string): SignalImageCard {
  const s = stored as Partial<SignalImageCard>;
  const bad = (field: string): never => {
    throw new Error(`${where}: its signal-image card has no valid '${field}'`);
  };
  if (!SIGNAL_IMAGE_TRANSFORMS.includes(s.transform as SignalImageTransform)) bad('transform');
  if (!Number.isInteger(s.size) || (s.size as number) < 1) bad('size');
  if (!Array.isArray(s.leads) || s.leads.length === 0) bad('leads');
  const sig = s.signal;
  if (!sig || !(sig.samplingRate > 0) || !Number.isInteger(sig.samples)) bad('signal');
  return {
    kind: 'signal-image',
    transform: s.transform!,
    size: s.size!,
    gaf: 'summation',
    mtfBins: Number(s.mtfBins ?? 8),
    leads: s.leads!.map(String),
    channels: 'one-lead-per-channel',
    signal: { samplingRate: sig!.samplingRate, samples: sig!.samples, bandpass: sig!.bandpass ?? null, zscore: sig!.zscore !== false },
  };
}

/** One lead's image under the card's transform. */
export function leadImage(x: Float32Array, card: Pick<SignalImageCard, 'transform' | 'size' | 'mtfBins'>): SignalImage {
  if (card.transform === 'gaf') return gramianAngularField(x, 'summation', card.size);
  if (card.transform === 'mtf') return markovTransitionField(x, card.mtfBins, card.size);
  return recurrencePlot(x, { size: card.size });
}

/** Leads (card order, each `card.signal.samples` long) as one channels-last [size, size, leads] image, into `out` at `offset`. */
export function signalImageInput(leads: readonly Float32Array[], card: SignalImageCard, out?: Float32Array, offset = 0): Float32Array {
  const L = card.leads.length;
  if (leads.length !== L) throw new Error(`signal image: ${leads.length} leads for a ${L}-channel model`);
  const m = card.size;
  const target = out ?? new Float32Array(m * m * L);
  leads.forEach((x, l) => {
    const { image, size } = leadImage(x, card);
    if (size !== m) throw new Error(`signal image: a lead of ${x.length} samples gives a ${size}x${size} image, not ${m}x${m}`);
    for (let p = 0; p < m * m; p++) target[offset + p * L + l] = image[p];
  });
  return target;
}

/** A channels-last [size, size, leads] attribution → lead x samples importance (row/column marginals per channel). */
export function signalImageAttributionToTime(attribution: Float32Array, card: SignalImageCard): Float32Array {
  const L = card.leads.length;
  const m = card.size;
  const n = card.signal.samples;
  const bounds = segmentBounds(n, m);
  const map = new Float32Array(L * n);
  const channel = new Float32Array(m * m);
  for (let l = 0; l < L; l++) {
    for (let p = 0; p < m * m; p++) channel[p] = attribution[p * L + l];
    map.set(signalImageToTime(channel, { size: m, bounds }), l * n);
  }
  return map;
}
