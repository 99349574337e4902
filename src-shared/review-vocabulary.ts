// Fixed value lists of the review workflow, shared by main (validation, storage) and the renderer (menus).

/** Where a record stands in review. */
export const REVIEW_STATES = ['new', 'reviewed', 'accepted', 'corrected', 'second-opinion'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const isReviewState = (s: string): s is ReviewState => (REVIEW_STATES as readonly string[]).includes(s);

/** Display-only filters of the viewer (dsp ecgClean's display preset, one filter at a time). */
export const DISPLAY_FILTERS = ['bandpass', 'notch50', 'notch60', 'baseline'] as const;
export type DisplayFilter = (typeof DISPLAY_FILTERS)[number];
export const isDisplayFilter = (s: string): s is DisplayFilter => (DISPLAY_FILTERS as readonly string[]).includes(s);

/** A reviewer who set one of these has submitted the record: their labels count, and blind mode shows them the others'. */
export const SUBMITTED_STATES = ['reviewed', 'accepted', 'corrected'] as const satisfies readonly ReviewState[];
export const isSubmittedState = (s: string): boolean => (SUBMITTED_STATES as readonly string[]).includes(s);
