// Heart-rate corrections of the QT interval. Every formula takes QT in ms and the RR interval in seconds.

export const QTC_FORMULAS = ['bazett', 'fridericia', 'framingham', 'hodges'] as const;
export type QtcFormula = (typeof QTC_FORMULAS)[number];
export const DEFAULT_QTC_FORMULA: QtcFormula = 'bazett';

export const QTC_FORMULA_NAMES: Record<QtcFormula, string> = {
  bazett: 'Bazett',
  fridericia: 'Fridericia',
  framingham: 'Framingham',
  hodges: 'Hodges',
};

export function isQtcFormula(x: unknown): x is QtcFormula {
  return typeof x === 'string' && (QTC_FORMULAS as readonly string[]).includes(x);
}

/** QTc (ms) by `formula`: Bazett QT/RR^1/2, Fridericia QT/RR^1/3, Framingham QT + 154 (1 - RR), Hodges QT + 1.75 (HR - 60). */
export function correctQt(qtMs: number, rrSeconds: number, formula: QtcFormula): number {
  switch (formula) {
    case 'bazett':
      return qtMs / Math.sqrt(rrSeconds);
    case 'fridericia':
      return qtMs / Math.cbrt(rrSeconds);
    case 'framingham':
      return qtMs + 154 * (1 - rrSeconds);
    case 'hodges':
      return qtMs + 1.75 * (60 / rrSeconds - 60);
  }
}
