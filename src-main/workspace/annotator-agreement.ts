// How far the reviewers agree, per class and per reviewer, and the consensus they reach weighted by their estimated
// quality (Dawid-Skene), or together with a model's probabilities (CROWDLAB-style) when a model is named.
import type { Database } from 'better-sqlite3';
import type { AgreementReport, ClassAgreement, ConsensusLabel, ReviewerAgreement } from '../../src-shared/api.ts';
import { cohenKappa, fleissKappa } from '../../src-shared/agreement/kappa.ts';
import { dawidSkene, type BinaryRating } from '../../src-shared/agreement/dawid-skene.ts';
import { crowdlab } from '../../src-shared/agreement/crowdlab.ts';
import { submittedLabelSets } from '../store/annotator-store.ts';
import { getModelInfo } from '../store/model-store.ts';
import { predictionsFor } from '../store/prediction-store.ts';
import { recordName } from '../store/record-store.ts';

function classAgreement(ratings: BinaryRating[], reviewers: number): Pick<ClassAgreement, 'n' | 'agreement' | 'kappa' | 'kappaKind'> {
  const byRecord = new Map<number, Map<string, boolean>>();
  for (const r of ratings) {
    let m = byRecord.get(r.record);
    if (!m) byRecord.set(r.record, (m = new Map()));
    m.set(r.reviewer, r.present);
  }
  if (reviewers === 2) {
    const [x, y] = [...new Set(ratings.map((r) => r.reviewer))].sort();
    const a: boolean[] = [],
      b: boolean[] = [];
    for (const m of byRecord.values()) {
      if (!m.has(x) || !m.has(y)) continue;
      a.push(m.get(x)!);
      b.push(m.get(y)!);
    }
    return { ...cohenKappa(a, b), kappaKind: 'cohen' };
  }
  const counts = [...byRecord.values()].map((m) => {
    const yes = [...m.values()].filter(Boolean).length;
    return [m.size - yes, yes];
  });
  return { ...fleissKappa(counts), kappaKind: 'fleiss' };
}

/** The agreement report over every record at least one reviewer submitted; `modelId` weights the consensus. */
export function agreementReport(db: Database, opts: { modelId?: number } = {}): AgreementReport {
  const sets = submittedLabelSets(db);
  const reviewers = [...new Set(sets.map((s) => s.reviewer))].sort();
  const recordIds = [...new Set(sets.map((s) => s.recordId))];
  const codes = [...new Set(sets.flatMap((s) => [...s.codes]))].sort();
  const model = opts.modelId === undefined ? undefined : getModelInfo(db, opts.modelId);
  const modelProbabilities = new Map<string, Map<number, number>>();
  if (model) {
    for (const p of predictionsFor(db, model.id)) {
      let m = modelProbabilities.get(p.classCode);
      if (!m) modelProbabilities.set(p.classCode, (m = new Map()));
      m.set(p.recordId, p.probability);
    }
  }
  const classes: ClassAgreement[] = [];
  const consensus: ConsensusLabel[] = [];
  // Per reviewer: answers equal to the consensus, and the quality estimate summed by answers.
  const versus = new Map<string, { mine: boolean[]; theirs: boolean[]; quality: number }>(
    reviewers.map((r) => [r, { mine: [], theirs: [], quality: 0 }]),
  );
  for (const code of codes) {
    const ratings: BinaryRating[] = sets.map((s) => ({ record: s.recordId, reviewer: s.reviewer, present: s.codes.has(code) }));
    const reviewersOfClass = new Set(ratings.map((r) => r.reviewer)).size;
    const probabilities = modelProbabilities.get(code);
    let posterior: Map<number, number>;
    let quality: Map<string, number>;
    if (probabilities) {
      const c = crowdlab(ratings, probabilities);
      posterior = c.posterior;
      quality = new Map(c.reviewers.map((q) => [q.reviewer, q.agreement]));
    } else {
      const ds = dawidSkene(ratings);
      posterior = ds.posterior;
      quality = new Map(ds.reviewers.map((q) => [q.reviewer, q.accuracy]));
    }
    let positives = 0;
    for (const [recordId, p] of posterior) {
      const present = p >= 0.5;
      if (present) positives++;
      consensus.push({ recordId, code, present, confidence: present ? p : 1 - p });
    }
    for (const r of ratings) {
      const v = versus.get(r.reviewer)!;
      v.mine.push(r.present);
      v.theirs.push(posterior.get(r.record)! >= 0.5);
      v.quality += quality.get(r.reviewer)!;
    }
    classes.push({
      code,
      reviewers: reviewersOfClass,
      ...classAgreement(ratings, reviewersOfClass),
      method: probabilities ? 'crowdlab' : 'dawid-skene',
      consensusPositives: positives,
    });
  }
  const reviewerAgreement: ReviewerAgreement[] = reviewers.map((reviewer) => {
    const v = versus.get(reviewer)!;
    const k = cohenKappa(v.mine, v.theirs);
    return {
      reviewer,
      records: sets.filter((s) => s.reviewer === reviewer).length,
      agreement: k.agreement,
      kappa: k.kappa,
      estimatedAccuracy: v.mine.length ? v.quality / v.mine.length : 0,
    };
  });
  const disagreements: AgreementReport['disagreements'] = [];
  for (const recordId of recordIds.sort((a, b) => a - b)) {
    const mine = sets.filter((s) => s.recordId === recordId);
    if (mine.length < 2) continue;
    const differing = codes.filter((c) => new Set(mine.map((s) => s.codes.has(c))).size > 1);
    if (differing.length) disagreements.push({ recordId, recordName: recordName(db, recordId) ?? String(recordId), codes: differing });
  }
  consensus.sort((a, b) => a.recordId - b.recordId || a.code.localeCompare(b.code));
  return { reviewers, modelId: model?.id ?? null, records: recordIds.length, classes, reviewerAgreement, disagreements, consensus };
}

/** The consensus SNOMED codes per record the reviewers submitted (records nobody submitted are absent). */
export function consensusCodes(db: Database, opts: { modelId?: number } = {}): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const report = agreementReport(db, opts);
  for (const s of submittedLabelSets(db)) out.set(s.recordId, []);
  for (const c of report.consensus) if (c.present) out.get(c.recordId)!.push(c.code);
  return out;
}
