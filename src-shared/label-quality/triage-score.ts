// Triage: how urgently a record needs a reader, from a model's class probabilities, its per-class operating
// thresholds and clinical weights per class. Only a class above its threshold with weight > 0 flags a record (sinus
// rhythm weighs 0, so it never flags); the weight sets the tier and the excess over the threshold orders within it.

export interface TriageSettings {
  /** Weight per SNOMED CT code, 0 = never flags; classes not listed weigh `defaultWeight`. */
  classWeights: Record<string, number>;
  defaultWeight: number;
  /** A class whose probability is within this distance of its threshold makes the record "low confidence". */
  lowConfidenceMargin: number;
}

/** Life-threatening or urgent rhythms weigh most; benign sinus variants least; sinus rhythm not at all. */
export const DEFAULT_TRIAGE_SETTINGS: TriageSettings = {
  classWeights: {
    '426783006': 0, // sinus rhythm
    '164895002': 1, // ventricular tachycardia
    '27885002': 1, // complete heart block
    '164865005': 1, // myocardial infarction
    '164889003': 1, // atrial fibrillation
    '164890007': 0.9, // atrial flutter
    '426761007': 0.9, // supraventricular tachycardia
    '195042002': 0.9, // 2nd degree AV block
    '713422000': 0.8, // atrial tachycardia
    '111975006': 0.8, // prolonged QT
    '164909002': 0.7, // LBBB
    '733534002': 0.7, // complete LBBB
    '10370003': 0.6, // pacing rhythm
    '427172004': 0.6, // PVC
    '17338001': 0.6, // ventricular premature beats
    '427084000': 0.6, // sinus tachycardia
    '284470004': 0.4, // PAC
    '63593006': 0.4, // supraventricular premature beats
    '270492004': 0.4, // 1st degree AV block
    '713427006': 0.4, // complete RBBB
    '59118001': 0.4, // RBBB
    '426177001': 0.3, // sinus bradycardia
    '39732003': 0.2, // left axis deviation
    '47665007': 0.2, // right axis deviation
    '427393009': 0.1, // sinus arrhythmia
  },
  defaultWeight: 0.5,
  lowConfidenceMargin: 0.05,
};

export interface RecordTriage {
  /** null: no weighted class above its threshold (not flagged). Else in (0, 1]: weight x (1 + excess) / 2. */
  score: number | null;
  /** The class behind the score; when not flagged, the class closest to (or furthest above) its threshold. */
  topClass: string;
  topProbability: number;
  topThreshold: number;
  lowConfidence: boolean;
}

export const classWeight = (s: TriageSettings, code: string): number => s.classWeights[code] ?? s.defaultWeight;

/** Where p sits relative to threshold t, in [-1, 1]: 0 at the threshold, 1 at p = 1, -1 at p = 0. */
export function thresholdExcess(p: number, t: number): number {
  if (p >= t) return t >= 1 ? 0 : (p - t) / (1 - t);
  return t <= 0 ? 0 : (p - t) / t;
}

export function triageRecord(classes: string[], probs: ArrayLike<number>, thresholds: ArrayLike<number>, s: TriageSettings): RecordTriage {
  if (classes.length === 0) throw new Error('triage: the model has no classes');
  let score: number | null = null;
  let top = -1;
  let nearest = 0;
  let lowConfidence = false;
  classes.forEach((code, c) => {
    const p = probs[c];
    const t = thresholds[c];
    if (Math.abs(p - t) < s.lowConfidenceMargin) lowConfidence = true;
    const w = classWeight(s, code);
    const e = thresholdExcess(p, t);
    if (w > 0 && p >= t) {
      const v = (w * (1 + e)) / 2;
      if (score === null || v > score) {
        score = v;
        top = c;
      }
    }
    if (thresholdExcess(p, t) > thresholdExcess(probs[nearest], thresholds[nearest])) nearest = c;
  });
  const c = top >= 0 ? top : nearest;
  return { score, topClass: classes[c], topProbability: probs[c], topThreshold: thresholds[c], lowConfidence };
}

/** Settings read from storage, each field checked; a bad value is a one-line error naming it. */
export function readTriageSettings(stored: unknown): TriageSettings {
  if (stored === undefined || stored === null) return DEFAULT_TRIAGE_SETTINGS;
  const v = stored as Partial<TriageSettings>;
  const out: TriageSettings = { ...DEFAULT_TRIAGE_SETTINGS, classWeights: { ...DEFAULT_TRIAGE_SETTINGS.classWeights } };
  if (v.classWeights !== undefined) {
    for (const [code, w] of Object.entries(v.classWeights)) {
      if (typeof w !== 'number' || !(w >= 0)) throw new Error(`triage class weight for ${code} must be a number >= 0, got ${w}`);
      out.classWeights[code] = w;
    }
  }
  if (v.defaultWeight !== undefined) {
    if (typeof v.defaultWeight !== 'number' || !(v.defaultWeight >= 0))
      throw new Error(`triage default weight must be a number >= 0, got ${v.defaultWeight}`);
    out.defaultWeight = v.defaultWeight;
  }
  if (v.lowConfidenceMargin !== undefined) {
    const m = v.lowConfidenceMargin;
    if (typeof m !== 'number' || !(m >= 0 && m < 0.5)) throw new Error(`low-confidence margin must be in [0, 0.5), got ${m}`);
    out.lowConfidenceMargin = m;
  }
  return out;
}
