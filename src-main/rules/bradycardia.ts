// Sinus bradycardia: regular rhythm with heart rate below 60 bpm.
import { sinusRateRule } from './sinus-rate-rule.ts';

export const bradycardia = sinusRateRule({
  id: 'sinus-bradycardia',
  title: 'Sinus bradycardia (HR < 60 bpm, regular rhythm)',
  codes: [
    { code: '426177001', abbreviation: 'SB' },
    { code: '426627000', abbreviation: 'Brady' },
  ],
  limitBpm: 60,
  beyond: 'below',
});
