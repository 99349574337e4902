// Fitting the chart to the window: the paper keeps its calibration (25 mm/s, 10 mm/mV on the chart's own mm grid) and
// the whole chart is drawn smaller, so what a screen mm shows is stated rather than implied.

export interface ChartFit {
  /** Pixels per paper mm the chart is drawn at. */
  pxPerMm: number;
  /** Drawn size over the calibrated size (1: calibrated). */
  scale: number;
  /** What the reader sees, e.g. 'scaled ×0.78 to fit: 25 mm/s, 10 mm/mV paper shown at 19.5 mm/s, 7.8 mm/mV'. */
  statement: string;
}

const num = (v: number) => String(Number(v.toFixed(1)));

/**
 * The px/mm to draw a chart `chartMm` wide into `roomPx` on a screen calibrated at `screenPxPerMm`. Never enlarged past
 * the calibration; the scale is rounded down to 1/100 so a pixel of resize does not re-lay the chart out.
 */
export function fitChart(screenPxPerMm: number, chartMm: number, roomPx: number, mmPerSecond: number, mmPerMillivolt: number): ChartFit {
  const wanted = chartMm * screenPxPerMm;
  const scale = roomPx > 0 && wanted > roomPx ? Math.max(0.25, Math.floor((roomPx / wanted) * 100) / 100) : 1;
  const paper = `${num(mmPerSecond)} mm/s, ${num(mmPerMillivolt)} mm/mV`;
  const statement =
    scale === 1
      ? `calibrated: ${paper} on screen`
      : `scaled ×${scale.toFixed(2)} to fit: ${paper} paper shown at ${num(mmPerSecond * scale)} mm/s, ` +
        `${num(mmPerMillivolt * scale)} mm/mV on screen`;
  return { pxPerMm: screenPxPerMm * scale, scale, statement };
}

/** Paper width of the chart in mm: the calibration margin, the strip and the right edge (as layoutChart lays it out). */
export const chartWidthMm = (seconds: number, mmPerSecond: number): number => 10 + seconds * mmPerSecond + 2;
