// Signal-image model inputs: each record through the signal input pipeline (resample, band-pass, crop, z-score),
// then every lead turned into the card's image and the leads stacked as channels (chart/signal-image-input.ts).
import type { EcgRecord } from '../../src-shared/record.ts';
import { signalImageInput, type SignalImageCard } from '../chart/signal-image-input.ts';
import { recordToInput, targetsFor, type InputSpec } from './input-pipeline.ts';
import type { Dataset } from './train.ts';

/** The signal input spec a card's leads go through before their transform (short records zero-padded, as signal models). */
export function signalImageSpec(card: SignalImageCard): InputSpec {
  return { ...card.signal, leads: [...card.leads], padShort: true };
}

/** A record's leads as the model input time base sees them (card order), one array each. */
export function signalImageLeads(record: EcgRecord, spec: InputSpec): Float32Array[] {
  const x = recordToInput(record, spec);
  const L = spec.leads.length;
  return spec.leads.map((_, l) => Float32Array.from({ length: spec.samples }, (_, t) => x[t * L + l]));
}

/** Records as n x [size, size, leads] images. */
export function signalImageInputs(records: readonly EcgRecord[], card: SignalImageCard): Float32Array {
  const spec = signalImageSpec(card);
  const size = card.size * card.size * card.leads.length;
  const x = new Float32Array(records.length * size);
  records.forEach((r, i) => signalImageInput(signalImageLeads(r, spec), card, x, i * size));
  return x;
}

export function signalImageDataset(
  items: readonly { record: EcgRecord; codes: string[] }[],
  card: SignalImageCard,
  classes: string[],
): Dataset {
  const y = new Uint8Array(items.length * classes.length);
  items.forEach((item, i) => y.set(targetsFor(item.codes, classes), i * classes.length));
  return {
    x: signalImageInputs(
      items.map((i) => i.record),
      card,
    ),
    y,
    n: items.length,
  };
}
