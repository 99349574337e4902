// A PDF's page count (pdfinfo) and its first page as RGB pixels (pdftoppm, poppler-utils), and the grid lines of one
// colour found in such a raster, for measuring printed ECG paper.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function poppler(tool: 'pdfinfo' | 'pdftoppm', args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(`${tool} not found: install poppler-utils (apt-get install poppler-utils), as .ci/run does`);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

export function pdfInfo(file: string): { pages: number; pageSizePt: [number, number] } {
  const out = poppler('pdfinfo', [file]);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out);
  if (!pages || !size) throw new Error(`pdfinfo: no page count or size in:\n${out}`);
  return { pages, pageSizePt: [Number(size[1]), Number(size[2])] };
}

export interface Raster {
  width: number;
  height: number;
  /** Row-major RGB bytes. */
  rgb: Uint8Array;
}

/** The PDF's first page at `dpi`. */
export function rasterisePdf(file: string, dpi: number): Raster {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-pdf-'));
  try {
    poppler('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'page')]);
    const buf = fs.readFileSync(path.join(dir, 'page.ppm'));
    // Binary PPM: 'P6' width height maxval, each followed by one whitespace byte, then the pixels.
    const head = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'));
    if (!head || head[3] !== '255') throw new Error('pdftoppm: not an 8-bit binary PPM');
    const width = Number(head[1]),
      height = Number(head[2]);
    return { width, height, rgb: new Uint8Array(buf.subarray(head[0].length, head[0].length + width * height * 3)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Centres (in pixels) of the vertical (`axis` 'x') or horizontal ('y') lines drawn in `colour`: the columns (rows) in
 * which at least half as many pixels have that colour as in the column (row) that has most, grouped when adjacent.
 */
export function lineCentres(r: Raster, colour: [number, number, number], axis: 'x' | 'y', tolerance = 24): number[] {
  const n = axis === 'x' ? r.width : r.height;
  const counts = new Float64Array(n);
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++) {
      const i = 3 * (y * r.width + x);
      if (
        Math.abs(r.rgb[i] - colour[0]) <= tolerance &&
        Math.abs(r.rgb[i + 1] - colour[1]) <= tolerance &&
        Math.abs(r.rgb[i + 2] - colour[2]) <= tolerance
      )
        counts[axis === 'x' ? x : y]++;
    }
  let max = 0;
  for (const c of counts) max = Math.max(max, c);
  const centres: number[] = [];
  for (let i = 0; i < n; i++) {
    if (counts[i] < max / 2) continue;
    let sum = 0,
      weight = 0;
    for (; i < n && counts[i] >= max / 2; i++) {
      sum += i * counts[i];
      weight += counts[i];
    }
    centres.push(sum / weight);
  }
  return centres;
}
