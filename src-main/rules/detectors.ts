// Every rule detector, in display order.
import type { RuleDetector } from './rule-detector.ts';
import { bradycardia } from './bradycardia.ts';
import { tachycardia } from './tachycardia.ts';
import { leftAxisDeviation2Lead, leftAxisDeviation3Lead, rightAxisDeviation2Lead, rightAxisDeviation3Lead } from './axis-deviation.ts';
import { lowQrsVoltage } from './low-qrs-voltage.ts';
import { pacing } from './pacing.ts';
import { atrialFibrillation } from './atrial-fibrillation.ts';
import { prolongedPr, prolongedQrs, prolongedQtc } from './prolonged-intervals.ts';

export const RULE_DETECTORS: readonly RuleDetector[] = [
  bradycardia,
  tachycardia,
  leftAxisDeviation2Lead,
  leftAxisDeviation3Lead,
  rightAxisDeviation2Lead,
  rightAxisDeviation3Lead,
  lowQrsVoltage,
  pacing,
  atrialFibrillation,
  prolongedPr,
  prolongedQrs,
  prolongedQtc,
];
