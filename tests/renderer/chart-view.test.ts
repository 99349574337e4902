import { describe, expect, it } from 'vitest';
import { layoutChoices, leadCountChoices } from '../../src-renderer/lib/chart-view.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';

describe('layout and lead selectors follow the record', () => {
  it('name each layout by what it draws for the record lead count', () => {
    expect(layoutChoices(2, 'MLII').map((c) => c.label)).toEqual(['2x1 + MLII', '1x2', '2x1']);
    // Without a rhythm strip, 3x4 and 12x1 draw the same 2x1 grid: offered once.
    expect(layoutChoices(2, undefined)).toEqual([
      { kind: '3x4', label: '2x1' },
      { kind: '6x2', label: '1x2' },
    ]);
    expect(layoutChoices(12, 'II').map((c) => c.label)).toEqual(['3x4 + II', '6x2', '12x1']);
    expect(layoutChoices(12, undefined).map((c) => c.label)).toEqual(['3x4', '6x2', '12x1']);
  });

  it('offer reduced lead sets for a 12-lead record only; a 2-lead record offers its 2 leads', () => {
    expect(leadCountChoices(STANDARD_LEADS)).toEqual([12, 6, 4, 3, 2]);
    expect(leadCountChoices(['MLII', 'V5'])).toEqual([2]);
  });
});
