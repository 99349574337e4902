// The wire form of API results that carry samples (signal windows, saliency maps): raw bytes, not base64 in JSON.
// One buffer: 'LLB1', the header's byte length, a JSON header (the result with every typed array replaced by a
// reference to its section), then each array's bytes, 8-byte aligned, so the receiver reads Int16Array /
// Int32Array / Float32Array views straight onto the buffer it got, without copying. Byte order is the host's:
// every platform LeadLens runs on (x64, arm64) is little-endian.

const MAGIC = 0x3142_4c4c; // 'LLB1' read little-endian
const PREFIX_BYTES = 8;
const ALIGN = 8;
/** Marks a reference to a section in the header; no API result has a field of this name. */
const REF = '$section';

const ARRAY_TYPES = { int16: Int16Array, int32: Int32Array, float32: Float32Array, uint8: Uint8Array } as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;
export type SampleArray = InstanceType<(typeof ARRAY_TYPES)[ArrayTypeName]>;

interface Section {
  type: ArrayTypeName;
  byteOffset: number;
  length: number;
}

const padded = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

function typeName(a: ArrayBufferView): ArrayTypeName | undefined {
  for (const [name, Ctor] of Object.entries(ARRAY_TYPES)) if (a instanceof Ctor) return name as ArrayTypeName;
  return undefined;
}

/** Encodes a result whose typed arrays (Int16/Int32/Float32/Uint8) travel as bytes; everything else as JSON. */
export function encodeBinaryResult(result: unknown): ArrayBuffer {
  const arrays: { type: ArrayTypeName; view: ArrayBufferView }[] = [];
  const lift = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v)) {
      const type = typeName(v);
      if (!type) throw new Error(`binary result: unsupported array type ${v.constructor.name}`);
      arrays.push({ type, view: v });
      return { [REF]: arrays.length - 1 };
    }
    if (Array.isArray(v)) return v.map(lift);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => [k, lift(x)]),
      );
    return v;
  };
  const tree = lift(result);
  // Section offsets count from the data area, which starts at the first 8-byte boundary after the header.
  const sections: Section[] = [];
  let at = 0;
  for (const a of arrays) {
    sections.push({ type: a.type, byteOffset: at, length: a.view.byteLength / ARRAY_TYPES[a.type].BYTES_PER_ELEMENT });
    at = padded(at + a.view.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ result: tree, sections }));
  const dataStart = padded(PREFIX_BYTES + header.byteLength);
  const out = new ArrayBuffer(dataStart + at);
  const prefix = new DataView(out);
  prefix.setUint32(0, MAGIC, true);
  prefix.setUint32(4, header.byteLength, true);
  const bytes = new Uint8Array(out);
  bytes.set(header, PREFIX_BYTES);
  arrays.forEach((a, i) =>
    bytes.set(new Uint8Array(a.view.buffer, a.view.byteOffset, a.view.byteLength), dataStart + sections[i].byteOffset),
  );
  return out;
}

/** Decodes `encodeBinaryResult` output; the typed arrays are views onto `buffer`. Throws one line on a malformed buffer. */
export function decodeBinaryResult<T>(buffer: ArrayBuffer): T {
  if (buffer.byteLength < PREFIX_BYTES) throw new Error('binary result: truncated');
  const prefix = new DataView(buffer);
  if (prefix.getUint32(0, true) !== MAGIC) throw new Error('binary result: not a LeadLens binary result');
  const headerBytes = prefix.getUint32(4, true);
  if (PREFIX_BYTES + headerBytes > buffer.byteLength) throw new Error('binary result: header runs past the end');
  const { result, sections } = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, PREFIX_BYTES, headerBytes))) as {
    result: unknown;
    sections: Section[];
  };
  if (!Array.isArray(sections)) throw new Error('binary result: header has no sections');
  const dataStart = padded(PREFIX_BYTES + headerBytes);
  const views = sections.map((s, i) => {
    const Ctor = Object.prototype.hasOwnProperty.call(ARRAY_TYPES, s.type) ? ARRAY_TYPES[s.type] : undefined;
    if (
      !Ctor ||
      !Number.isInteger(s.byteOffset) ||
      !Number.isInteger(s.length) ||
      s.byteOffset < 0 ||
      s.length < 0 ||
      s.byteOffset % ALIGN !== 0 ||
      dataStart + s.byteOffset + s.length * Ctor.BYTES_PER_ELEMENT > buffer.byteLength
    ) {
      throw new Error(`binary result: section ${i} is malformed`);
    }
    return new Ctor(buffer, dataStart + s.byteOffset, s.length);
  });
  const place = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(place);
    if (v && typeof v === 'object') {
      const ref = (v as Record<string, unknown>)[REF];
      if (typeof ref === 'number') {
        if (!views[ref]) throw new Error(`binary result: no section ${ref}`);
        return views[ref];
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, place(x)]));
    }
    return v;
  };
  return place(result) as T;
}
