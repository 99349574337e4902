// When an opinion about a class agrees with the record's labels. The CinC 2021 challenge scores four pairs of codes as
// one class (weights.csv joins them with '|'), and a rule may assert several related codes at once (sinus bradycardia:
// SB and Brady): a label of any code the opinion covers is what it is compared with.

/** The challenge's equivalent classes (resources/cinc-scoring-2021/weights.csv, header entries 'a|b'). */
export const EQUIVALENT_CLASSES: readonly (readonly [string, string])[] = [
  ['733534002', '164909002'], // CLBBB | LBBB
  ['713427006', '59118001'], // CRBBB | RBBB
  ['284470004', '63593006'], // PAC | SVPB
  ['427172004', '17338001'], // PVC | VPB
];

/** A code and the codes the challenge treats as the same class. */
export function equivalentCodes(code: string): string[] {
  const pair = EQUIVALENT_CLASSES.find((p) => p.includes(code));
  return pair ? [...pair] : [code];
}

/** True when a label of `code` or of an equivalent code is present. */
export function classLabelled(code: string, present: (code: string) => boolean): boolean {
  return equivalentCodes(code).some(present);
}

/**
 * Whether a positive/negative decision asserting `codes` (a rule's, or a model's one class) agrees with the labels:
 * positive agrees when any covered code (or its equivalent) is labelled, negative when none is.
 */
export function decisionAgrees(decision: boolean, codes: readonly string[], present: (code: string) => boolean): boolean {
  return decision === codes.some((c) => classLabelled(c, present));
}
