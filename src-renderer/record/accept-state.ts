// What "accept" means for this reviewer: a record whose labels they changed is "corrected", not "accepted".
import type { LabelAssertion } from '../../src-shared/api.ts';

/** 'corrected' when `reviewer`'s current word on some code differs from the dataset's; else 'accepted'. */
export function acceptState(history: readonly LabelAssertion[], reviewer: string): 'accepted' | 'corrected' {
  const dataset = new Map<string, boolean>();
  for (const l of history) {
    if (l.sourceKind !== 'dataset' || !l.isCurrent) continue;
    const key = `${l.vocabulary}\u0000${l.code}`;
    dataset.set(key, (dataset.get(key) ?? false) || l.present);
  }
  const changed = history.some(
    (l) =>
      l.sourceKind === 'annotator' &&
      l.isCurrent &&
      l.author === reviewer &&
      l.present !== (dataset.get(`${l.vocabulary}\u0000${l.code}`) ?? false),
  );
  return changed ? 'corrected' : 'accepted';
}
