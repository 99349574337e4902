// MATLAB Level 4 (.mat v4) matrix reader: the format of the CinC/Chapman/PhysioNet `val` files.
import { FormatError } from './format-error.ts';

export type MatV4Data = Float64Array | Float32Array | Int32Array | Int16Array | Uint16Array | Uint8Array;

export interface MatV4Matrix {
  name: string;
  rows: number;
  cols: number;
  /** Precision code P of the type word: 0 double, 1 single, 2 int32, 3 int16, 4 uint16, 5 uint8. */
  precision: number;
  /** Column-major values (element (r, c) at r + c * rows). */
  data: MatV4Data;
  /** Byte offset of the data in the file (the WFDB `+offset` of a .mat signal file). */
  dataOffset: number;
}

const BYTES_PER = [8, 4, 4, 2, 2, 1];
const HEADER_BYTES = 20;

/** Parse the 20-byte header and name of the first matrix in a v4 file. */
export function parseMatV4Header(
  bytes: Uint8Array,
  where: string,
): Omit<MatV4Matrix, 'data'> & { littleEndian: boolean; bytesPerValue: number } {
  if (bytes.length < HEADER_BYTES) throw new FormatError(`${where}: not a MATLAB v4 file (${bytes.length} bytes, header needs 20)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The type word is small (< 5000) so its byte order tells the file's byte order.
  let littleEndian = true;
  let type = dv.getInt32(0, true);
  if (type < 0 || type > 4052) {
    littleEndian = false;
    type = dv.getInt32(0, false);
  }
  const m = Math.floor(type / 1000);
  const o = Math.floor(type / 100) % 10;
  const p = Math.floor(type / 10) % 10;
  const t = type % 10;
  if (type < 0 || type > 4052 || o !== 0 || p > 5 || (m !== 0 && m !== 1) || (m === 0) !== littleEndian) {
    throw new FormatError(`${where}: not a MATLAB v4 file (type word ${type})`);
  }
  if (t !== 0) throw new FormatError(`${where}: MATLAB v4 matrix type ${t} is not a full numeric matrix`);
  const rows = dv.getInt32(4, littleEndian);
  const cols = dv.getInt32(8, littleEndian);
  const imag = dv.getInt32(12, littleEndian);
  const nameLength = dv.getInt32(16, littleEndian);
  if (rows < 0 || cols < 0 || nameLength < 1 || nameLength > 64) {
    throw new FormatError(`${where}: MATLAB v4 header is malformed (rows ${rows}, cols ${cols}, name length ${nameLength})`);
  }
  if (imag !== 0) throw new FormatError(`${where}: complex MATLAB matrices are not supported`);
  const dataOffset = HEADER_BYTES + nameLength;
  if (bytes.length < dataOffset) throw new FormatError(`${where}: MATLAB v4 file is truncated inside the matrix name`);
  let name = '';
  for (let i = HEADER_BYTES; i < dataOffset && bytes[i] !== 0; i++) name += String.fromCharCode(bytes[i]);
  return { name, rows, cols, precision: p, dataOffset, littleEndian, bytesPerValue: BYTES_PER[p] };
}

/** Read the first matrix of a MATLAB v4 file. Throws FormatError on anything malformed or truncated. */
export function readMatV4(bytes: Uint8Array, where: string): MatV4Matrix {
  const h = parseMatV4Header(bytes, where);
  const n = h.rows * h.cols;
  const need = h.dataOffset + n * h.bytesPerValue;
  if (bytes.length < need) {
    throw new FormatError(
      `${where}: MATLAB v4 matrix '${h.name}' (${h.rows} x ${h.cols}) is truncated: ${bytes.length} bytes, ${need} needed`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, n * h.bytesPerValue);
  const le = h.littleEndian;
  let data: MatV4Data;
  switch (h.precision) {
    case 0: {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = dv.getFloat64(8 * i, le);
      data = a;
      break;
    }
    case 1: {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = dv.getFloat32(4 * i, le);
      data = a;
      break;
    }
    case 2: {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = dv.getInt32(4 * i, le);
      data = a;
      break;
    }
    case 3: {
      const a = new Int16Array(n);
      for (let i = 0; i < n; i++) a[i] = dv.getInt16(2 * i, le);
      data = a;
      break;
    }
    case 4: {
      const a = new Uint16Array(n);
      for (let i = 0; i < n; i++) a[i] = dv.getUint16(2 * i, le);
      data = a;
      break;
    }
    default:
      data = bytes.slice(h.dataOffset, h.dataOffset + n);
      break;
  }
  return { name: h.name, rows: h.rows, cols: h.cols, precision: h.precision, data, dataOffset: h.dataOffset };
}

/**
 * Rows of a matrix as integer signals (WFDB .mat convention: one row per signal, column-major so
 * frames are interleaved). Non-integer values are an error: WFDB .mat files hold digital samples.
 */
export function matRowsAsDigital(m: MatV4Matrix, where: string): (Int16Array | Int32Array)[] {
  const { rows, cols, data } = m;
  const fits16 = m.precision === 3 || m.precision === 5;
  const out: (Int16Array | Int32Array)[] = [];
  for (let r = 0; r < rows; r++) {
    const o = fits16 ? new Int16Array(cols) : new Int32Array(cols);
    for (let c = 0, j = r; c < cols; c++, j += rows) {
      const v = data[j];
      if (!fits16 && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)) {
        throw new FormatError(`${where}: matrix '${m.name}' row ${r + 1} column ${c + 1} holds ${v}, not an integer sample`);
      }
      o[c] = v;
    }
    out.push(o);
  }
  return out;
}
