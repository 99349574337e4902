// What an evaluation of a model on saved selections returns (eval --on, the model review page).

export interface ConfidenceInterval {
  /** The statistic on the records as they are. */
  estimate: number;
  low: number;
  high: number;
  /** Rounds where the statistic was defined (an AUC needs both outcomes in the resample); the interval uses these. */
  rounds: number;
}

export interface LeftOutRecord {
  recordId: number;
  recordName: string;
  reason: string;
}

export interface SelectionEvaluation {
  selection: string;
  description: string;
  evaluationId: number;
  /** Records the selection resolved to, and those scored. */
  selected: number;
  records: number;
  leftOut: LeftOutRecord[];
  /** Patients shared with the model's training/validation records, and how many records that dropped. */
  sharedWithTraining: { patients: string[]; records: number };
  /** How many scored records carry each model class. */
  positives: Record<string, number>;
  metrics: Record<string, unknown>;
  intervals: Record<string, ConfidenceInterval>;
}

export interface SelectionEvalResult {
  modelId: number;
  modelVersion: string;
  classes: string[];
  runtime: string;
  bootstrap: { rounds: number; seed: number; level: 0.95 };
  selections: SelectionEvaluation[];
  /** Pairs of evaluated selections that share patients (said, not dropped: neither side trains). */
  overlaps: { a: string; b: string; patients: number }[];
  /** Metric x selection: the cross-source table (null where the metric is undefined for that selection). */
  table: { metric: string; values: Record<string, ConfidenceInterval | null> }[];
}

/** A saved selection as listed: its query in one line and how many records it selects now. */
export interface SelectionInfo {
  id: number;
  name: string;
  description: string;
  records: number;
  author: string;
  updatedAt: string;
}
