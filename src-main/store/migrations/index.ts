import { migration as core } from './001-core.ts';
import { migration as rules } from './002-rules.ts';
import { migration as ml } from './003-ml.ts';
import { migration as explain } from './004-explain.ts';
import { migration as review } from './005-review.ts';
import { migration as deviceReading } from './006-device-reading.ts';
import { migration as ingestOutcome } from './007-ingest-outcome.ts';
import { migration as signalCodec } from './008-signal-codec.ts';
import { migration as boundaryCorrection } from './009-boundary-correction.ts';
import { migration as annotators } from './010-annotators.ts';
import { migration as labelQuality } from './011-label-quality.ts';
import { migration as selections } from './012-selections.ts';
import { migration as ruleDisagreement } from './013-rule-disagreement.ts';
import { migration as recordFlagColumns } from './014-record-flag-columns.ts';
import { migration as research } from './015-research.ts';
import { migration as recordLeadCountIndex } from './016-record-lead-count-index.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema migration, in version order. A new one is a new file plus one line here. */
export const MIGRATIONS: Migration[] = [
  core,
  rules,
  ml,
  explain,
  review,
  deviceReading,
  ingestOutcome,
  signalCodec,
  boundaryCorrection,
  annotators,
  labelQuality,
  selections,
  ruleDisagreement,
  recordFlagColumns,
  research,
  recordLeadCountIndex,
];
