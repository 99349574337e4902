// ISHNE annotation files (.ann, magic 'ANN  1.0'): the ISHNE header, then from its data offset a uint32 first
// sample and 4-byte annotations (label, internal byte, uint16 samples since the previous annotation).
import type { BeatAnnotation } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { ISHNE_ANNOTATION_MAGIC, ISHNE_FIXED_BYTES, ishneCrcValid, parseIshneHeader } from './ishne-header.ts';

export interface IshneAnnotations {
  annotations: BeatAnnotation[];
  warnings: string[];
}

/**
 * Beat annotations of an .ann file for a signal of `signalLength` samples. Tolerated with a warning: a CRC field of 0
 * or a wrong CRC, a header sample count that differs from the signal's, annotations past the signal's end (dropped).
 */
export function parseIshneAnnotations(b: Uint8Array, where: string, signalLength: number): IshneAnnotations {
  const h = parseIshneHeader(b, where);
  if (h.magic !== ISHNE_ANNOTATION_MAGIC) throw new FormatError(`${where}: not an ISHNE annotation file (magic '${h.magic}')`);
  const warnings: string[] = [];
  if (h.storedCrc === 0) warnings.push(`${where}: header CRC field is 0 (not computed); header used as read`);
  else if (!ishneCrcValid(b, h)) warnings.push(`${where}: header CRC mismatch; header used as read`);
  if (h.samplesPerLead !== signalLength) warnings.push(`${where}: header says ${h.samplesPerLead} samples, the signal has ${signalLength}`);
  const start =
    h.dataOffset >= ISHNE_FIXED_BYTES && h.dataOffset + 4 <= b.length
      ? h.dataOffset
      : ISHNE_FIXED_BYTES + Math.max(0, h.variableBlockBytes);
  if (start + 4 > b.length) throw new FormatError(`${where}: no annotation block after the ${start}-byte header`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let sample = v.getUint32(start, true);
  const annotations: BeatAnnotation[] = [];
  let beyond = 0;
  let unreadable = 0;
  for (let p = start + 4; p + 4 <= b.length; p += 4) {
    const label = b[p];
    sample += v.getUint16(p + 2, true);
    if (label === 0) continue; // padding
    if (label < 0x21 || label > 0x7e) {
      unreadable++;
      continue;
    }
    if (sample >= signalLength) {
      beyond++;
      continue;
    }
    annotations.push({ sample, symbol: String.fromCharCode(label) });
  }
  if (beyond > 0) warnings.push(`${where}: ${beyond} annotations lie past the signal's ${signalLength} samples; dropped`);
  if (unreadable > 0) warnings.push(`${where}: ${unreadable} annotations have a non-printable label; dropped`);
  return { annotations, warnings };
}
