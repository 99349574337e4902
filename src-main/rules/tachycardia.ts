// Sinus tachycardia: regular rhythm with heart rate above 100 bpm.
import { sinusRateRule } from './sinus-rate-rule.ts';

export const tachycardia = sinusRateRule({
  id: 'sinus-tachycardia',
  title: 'Sinus tachycardia (HR > 100 bpm, regular rhythm)',
  codes: [{ code: '427084000', abbreviation: 'STach' }],
  limitBpm: 100,
  beyond: 'above',
});
