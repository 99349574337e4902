// Standalone SVG plots for the audit report: deterministic text, no fonts or scripts beyond the SVG itself.

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number): string => String(Math.round(v * 100) / 100);
const PLOT_W = 360;
const ROW_H = 18;
/** Room for the longest row label at 11 px sans-serif (about 6.5 px a character). */
const labelRoom = (labels: string[]): number => Math.max(120, Math.ceil(12 + 6.5 * Math.max(0, ...labels.map((l) => l.length))));

const svg = (width: number, height: number, title: string, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">` +
  `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>${body}</svg>\n`;

/** x axis under rows from `lo` to `hi` at `y`, plot starting at `left`. */
const axis = (left: number, y: number, lo: number, hi: number): string =>
  `<line x1="${left}" y1="${y}" x2="${left + PLOT_W}" y2="${y}" stroke="#333"/>` +
  `<text x="${left}" y="${y + 14}">${lo}</text><text x="${left + PLOT_W}" y="${y + 14}" text-anchor="end">${hi}</text>`;

/** Horizontal bar chart (values clipped to [lo, hi]; non-finite shown as n/a). */
export function barChartSvg(title: string, bars: { label: string; value: number }[], lo: number, hi: number): string {
  const left = labelRoom(bars.map((b) => b.label));
  const x = (v: number): number => left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * PLOT_W;
  const zero = x(0 < lo ? lo : 0);
  const rows = bars.map((b, i) => {
    const y = 32 + i * ROW_H;
    const v = Number.isFinite(b.value) ? b.value : lo;
    return (
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect x="${Math.min(zero, x(v))}" y="${y + 2}" width="${Math.abs(x(v) - zero)}" height="${ROW_H - 5}" fill="#4a6fa5"/>` +
      `<text x="${x(v) + 4}" y="${y + 12}">${Number.isFinite(b.value) ? b.value.toFixed(3) : 'n/a'}</text>`
    );
  });
  const axisY = 32 + bars.length * ROW_H + 4;
  return svg(left + PLOT_W + 60, axisY + 24, title, rows.join('') + axis(left, axisY, lo, hi));
}

/**
 * One row of dots per label (each dot one value) with the row's threshold as a dashed tick and values
 * above it in red: shows how many maps cross the threshold, not only the median.
 */
export function stripPlotSvg(
  title: string,
  rows: { label: string; values: number[]; threshold: number }[],
  lo: number,
  hi: number,
): string {
  const labels = rows.map((r) => `${r.label} (${r.values.filter((v) => v > r.threshold).length}/${r.values.length} above)`);
  const left = labelRoom(labels);
  const x = (v: number): number => left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * PLOT_W;
  const body = rows
    .map((r, i) => {
      const y = 32 + i * ROW_H + ROW_H / 2;
      const t = num(x(r.threshold));
      return (
        `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${esc(labels[i])}</text>` +
        `<line x1="${t}" y1="${y - ROW_H / 2 + 1}" x2="${t}" y2="${y + ROW_H / 2 - 1}" stroke="#c0392b" stroke-dasharray="3 2"/>` +
        r.values
          .filter(Number.isFinite)
          .map((v) => `<circle cx="${num(x(v))}" cy="${y}" r="3" fill="${v > r.threshold ? '#c0392b' : '#4a6fa5'}" fill-opacity="0.7"/>`)
          .join('')
      );
    })
    .join('');
  const axisY = 32 + rows.length * ROW_H + 4;
  return svg(left + PLOT_W + 60, axisY + 24, title, body + axis(left, axisY, lo, hi));
}

const PALETTE = ['#4a6fa5', '#c0392b', '#27ae60', '#8e44ad', '#d68910', '#17a589', '#7f8c8d', '#2c3e50'];

/** Line chart of curves sharing x in [0, 1]; `dashed` curves drawn dashed (e.g. insertion next to deletion). */
export function lineChartSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  curves: { label: string; x: number[]; y: number[]; colour: number; dashed?: boolean }[],
): string {
  const h = Math.max(320, 50 + curves.length * 16);
  const w = 50 + 360 + 70 + Math.ceil(6.5 * Math.max(0, ...curves.map((c) => c.label.length)));
  const left = 50;
  const top = 30;
  const pw = 360;
  const ph = h - top - 50;
  const ys = curves.flatMap((c) => c.y).filter(Number.isFinite);
  const hi = Math.max(1e-9, ...ys);
  const lo = Math.min(0, ...ys);
  const px = (v: number): number => left + v * pw;
  const py = (v: number): number => top + ph - ((v - lo) / (hi - lo)) * ph;
  const lines = curves
    .map((c) => {
      const pts = c.x.map((xv, i) => `${num(px(xv))},${num(py(Number.isFinite(c.y[i]) ? c.y[i] : lo))}`).join(' ');
      return `<polyline points="${pts}" fill="none" stroke="${PALETTE[c.colour % PALETTE.length]}" stroke-width="1.5"${c.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    })
    .join('');
  const legend = curves
    .map(
      (c, i) =>
        `<line x1="${left + pw + 20}" y1="${top + 6 + i * 16}" x2="${left + pw + 44}" y2="${top + 6 + i * 16}" stroke="${PALETTE[c.colour % PALETTE.length]}" stroke-width="1.5"${c.dashed ? ' stroke-dasharray="5 3"' : ''}/>` +
        `<text x="${left + pw + 50}" y="${top + 10 + i * 16}">${esc(c.label)}</text>`,
    )
    .join('');
  const frame =
    `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>` +
    `<text x="${left}" y="${top + ph + 14}">0</text><text x="${left + pw}" y="${top + ph + 14}" text-anchor="end">1</text>` +
    `<text x="${left + pw / 2}" y="${top + ph + 30}" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end">${num(hi)}</text><text x="${left - 4}" y="${top + ph}" text-anchor="end">${num(lo)}</text>` +
    `<text x="12" y="${top + ph / 2}" transform="rotate(-90 12 ${top + ph / 2})" text-anchor="middle">${esc(yLabel)}</text>`;
  return svg(w, h, title, frame + lines + legend);
}

/** Horizontal stacked bars of shares (each row's parts in [0, 1], the rest drawn as 'other'). */
export function stackedBarSvg(title: string, parts: string[], rows: { label: string; values: number[] }[]): string {
  const left = labelRoom(rows.map((r) => r.label));
  const body = rows
    .map((r, i) => {
      const y = 32 + i * ROW_H;
      let at = 0;
      const segs = r.values
        .map((v, k) => {
          const wv = Number.isFinite(v) ? Math.max(0, v) : 0;
          const seg = `<rect x="${num(left + at * PLOT_W)}" y="${y + 2}" width="${num(wv * PLOT_W)}" height="${ROW_H - 5}" fill="${PALETTE[k % PALETTE.length]}"/>`;
          at += wv;
          return seg;
        })
        .join('');
      return (
        `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(r.label)}</text>${segs}` +
        `<rect x="${num(left + Math.min(1, at) * PLOT_W)}" y="${y + 2}" width="${num(Math.max(0, 1 - at) * PLOT_W)}" height="${ROW_H - 5}" fill="#ddd"/>`
      );
    })
    .join('');
  const axisY = 32 + rows.length * ROW_H + 4;
  const legend = [...parts, 'other']
    .map(
      (p, k) =>
        `<rect x="${left + k * 90}" y="${axisY + 22}" width="10" height="10" fill="${k < parts.length ? PALETTE[k % PALETTE.length] : '#ddd'}"/>` +
        `<text x="${left + k * 90 + 14}" y="${axisY + 31}">${esc(p)}</text>`,
    )
    .join('');
  return svg(Math.max(left + PLOT_W + 60, left + (parts.length + 1) * 90), axisY + 44, title, body + axis(left, axisY, 0, 1) + legend);
}

/**
 * Histograms of per-record agreement in [-1, 1] (bins of 0.1), one panel per pair: the median as a solid line
 * over its interval (shaded) and the stated agreement level as a dashed line, so the spread is seen, not only the median.
 */
export function agreementHistogramSvg(
  title: string,
  panels: { label: string; values: number[]; median: { estimate: number; lo: number; hi: number }; level: number }[],
): string {
  const bins = 20;
  const left = 40;
  const panelH = 120;
  const top = 30;
  const x = (v: number): number => left + ((Math.min(1, Math.max(-1, v)) + 1) / 2) * PLOT_W;
  const body = panels
    .map((p, i) => {
      const y0 = top + i * (panelH + 46);
      const counts = new Array<number>(bins).fill(0);
      for (const v of p.values.filter(Number.isFinite)) counts[Math.min(bins - 1, Math.floor(((v + 1) / 2) * bins))]++;
      const most = Math.max(1, ...counts);
      const base = y0 + 18 + panelH;
      const bars = counts
        .map((c, k) => {
          const h = (c / most) * panelH;
          return `<rect x="${num(left + (k * PLOT_W) / bins)}" y="${num(base - h)}" width="${num(PLOT_W / bins - 1)}" height="${num(h)}" fill="#4a6fa5"/>`;
        })
        .join('');
      const m = p.median;
      const band = Number.isFinite(m.lo)
        ? `<rect x="${num(x(m.lo))}" y="${y0 + 18}" width="${num(Math.max(1, x(m.hi) - x(m.lo)))}" height="${panelH}" fill="#d68910" fill-opacity="0.25"/>`
        : '';
      const med = Number.isFinite(m.estimate)
        ? `<line x1="${num(x(m.estimate))}" y1="${y0 + 18}" x2="${num(x(m.estimate))}" y2="${base}" stroke="#d68910" stroke-width="2"/>`
        : '';
      const level = `<line x1="${num(x(p.level))}" y1="${y0 + 18}" x2="${num(x(p.level))}" y2="${base}" stroke="#c0392b" stroke-dasharray="4 3"/>`;
      return (
        `<text x="${left}" y="${y0 + 12}">${esc(p.label)} (n=${p.values.filter(Number.isFinite).length}, max bin ${most})</text>` +
        band +
        bars +
        med +
        level +
        axis(left, base, -1, 1)
      );
    })
    .join('');
  const legend =
    `<text x="${left}" y="${top + panels.length * (panelH + 46) + 8}">bars: records per 0.1 of per-lead Spearman; orange: median and its 95 % ` +
    `bootstrap interval; red dashed: ${panels[0]?.level ?? ''}</text>`;
  return svg(left + PLOT_W + 280, top + panels.length * (panelH + 46) + 20, title, body + legend);
}
