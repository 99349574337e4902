// Writing WFDB records: the header text and format 16 / 32 sample frames, the inverse of wfdb-header.ts and
// wfdb-signal.ts for what LeadLens stores (int16 and int32 leads). Pure functions; the caller writes the files.

export interface WfdbSignalOut {
  fileName: string;
  format: 16 | 32;
  /** ADC units per physical unit, written with full precision so a re-read gives the same number. */
  gain: number;
  baseline: number;
  units: string;
  initialValue: number;
  /** Sum of all samples, low 16 bits (written signed, as WFDB does). */
  checksum: number;
  description: string;
}

export interface WfdbHeaderOut {
  recordName: string;
  samplingRate: number;
  length: number;
  /** ISO 8601 'YYYY-MM-DDTHH:MM:SS[.sss]': written as WFDB base time and date. */
  startTime?: string;
  signals: WfdbSignalOut[];
  /** Comment lines without the '#'. */
  comments: string[];
}

/** WFDB record names: letters, digits, '_' and '-'. Anything else becomes '_'. */
export function wfdbRecordName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[-_]+/, '');
  return clean === '' ? 'record' : clean.slice(0, 60);
}

/** 'HH:MM:SS[.sss] dd/mm/yyyy' for an ISO start time, or '' when it is not one. */
function baseTimeAndDate(iso: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(iso ?? '');
  return m ? ` ${m[4]}:${m[5]}:${m[6]} ${m[3]}/${m[2]}/${m[1]}` : '';
}

/** Description and units must not hold line breaks or, for units, blanks (they end the field). */
const field = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

export function formatWfdbHeader(h: WfdbHeaderOut): string {
  const lines = [`${h.recordName} ${h.signals.length} ${h.samplingRate} ${h.length}${baseTimeAndDate(h.startTime)}`];
  for (const s of h.signals) {
    const checksum = (s.checksum << 16) >> 16;
    const units = field(s.units).replace(/\s+/g, '_') || 'mV';
    lines.push(
      `${s.fileName} ${s.format} ${s.gain}(${s.baseline})/${units} ${s.format} 0 ${s.initialValue} ${checksum} 0 ${field(s.description)}`,
    );
  }
  for (const c of h.comments) lines.push(`#${field(c)}`);
  return `${lines.join('\n')}\n`;
}

/** Frames [from, to) of `leads` interleaved as little-endian format 16 (Int16Array leads) or 32 (Int32Array leads). */
export function interleaveFrames(leads: readonly (Int16Array | Int32Array)[], format: 16 | 32, from: number, to: number): Uint8Array {
  const n = to - from;
  const out = new Uint8Array(n * leads.length * (format / 8));
  const view = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (const d of leads) {
      if (format === 16) {
        view.setInt16(at, d[from + i], true);
        at += 2;
      } else {
        view.setInt32(at, d[from + i], true);
        at += 4;
      }
    }
  }
  return out;
}
