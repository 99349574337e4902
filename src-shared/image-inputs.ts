// What the image CNN reads: the record drawn as a chart, or each lead turned into a signal image (Gramian angular
// field, Markov transition field, recurrence plot) with the leads stacked as image channels.
export const IMAGE_INPUT_KINDS = ['chart', 'gaf', 'mtf', 'rp'] as const;
export type ImageInputKind = (typeof IMAGE_INPUT_KINDS)[number];
export const isImageInputKind = (s: string): s is ImageInputKind => (IMAGE_INPUT_KINDS as readonly string[]).includes(s);
