import type { ChartLayout, LeadPanel } from '../../src-shared/chart/chart-layout.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { LEAD_SETS } from '../../src-shared/lead-sets.ts';

export const LAYOUT_KINDS = ['3x4', '6x2', '12x1'] as const;
export type LayoutKind = (typeof LAYOUT_KINDS)[number];

/** Width of a standard strip: 10 s at 25 mm/s. Zooming changes seconds per strip, not the strip. */
export const STRIP_MM = 250;

/** The leads a view charts: a reduced standard set when the record has all 12 leads, else the record's own. */
export function viewLeads(recordLeads: readonly string[], leadSet: number): { leads: string[]; standard: boolean } {
  const standard = STANDARD_LEADS.every((n) => recordLeads.includes(n));
  if (!standard) return { leads: [...recordLeads], standard };
  return { leads: [...(LEAD_SETS[leadSet as keyof typeof LEAD_SETS] ?? STANDARD_LEADS)], standard };
}

/** Layout name ('RxC' or 'RxC+LEAD') for a kind and a number of leads. */
export function layoutName(kind: LayoutKind, n: number, rhythmLead: string | undefined): string {
  if (kind === '12x1' || n === 1) return `${n}x1`;
  if (kind === '6x2') return `${Math.ceil(n / 2)}x2`;
  const rows = Math.min(3, n);
  return `${rows}x${Math.ceil(n / rows)}${rhythmLead ? `+${rhythmLead}` : ''}`;
}

/**
 * The layout selector's choices for the record's own leads, each kind named by what it draws and kinds that draw the
 * same grid offered once (a 2-lead MIT-BIH record: "2x1" and "1x2", not "3x4 + rhythm", "6x2" and "12x1").
 */
export function layoutChoices(n: number, rhythmLead: string | undefined): { kind: LayoutKind; label: string }[] {
  const choices: { kind: LayoutKind; label: string }[] = [];
  for (const kind of LAYOUT_KINDS) {
    const [grid, rhythm] = layoutName(kind, n, kind === '3x4' ? rhythmLead : undefined).split('+');
    const label = rhythm ? `${grid} + ${rhythm}` : grid;
    if (!choices.some((c) => c.label === label)) choices.push({ kind, label });
  }
  return choices;
}

/** The lead-count choices: the reduced standard sets for a 12-lead record, else only the record's own count. */
export function leadCountChoices(recordLeads: readonly string[]): number[] {
  return viewLeads(recordLeads, 12).standard ? [12, 6, 4, 3, 2] : [recordLeads.length];
}

export function panelAt(layout: ChartLayout, x: number, y: number): LeadPanel | undefined {
  return layout.panels.find((p) => x >= p.box.x && x < p.box.x + p.box.width && y >= p.box.y && y < p.box.y + p.box.height);
}

/** Record sample and millivolts under a chart pixel of `panel` (inverse of sampleX / valueY). */
export function pointAt(
  layout: ChartLayout,
  panel: LeadPanel,
  viewStart: number,
  x: number,
  y: number,
): { sample: number; millivolts: number } {
  const pxPerSample = (layout.mmPerSecond * layout.pxPerMm) / layout.samplingRate;
  return {
    sample: viewStart + panel.startSample + (x - panel.box.x) / pxPerSample,
    millivolts: (panel.baselineY - y) / (layout.mmPerMillivolt * layout.pxPerMm),
  };
}
