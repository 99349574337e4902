// The last check before a record reaches the store, whatever reader made it: a sampling rate of 0 or 1e308, a gain of
// Inf or a record without samples would be stored and then break analysis and rules later.
import type { EcgRecord } from '../../src-shared/record.ts';
import { FREQUENCY_RANGE, GAIN_RANGE, MAX_SIGNALS } from './wfdb-header.ts';

/** Why `record` cannot give a usable signal (one line), or undefined when it can. */
export function implausibleRecord(record: EcgRecord): string | undefined {
  const name = `record ${record.recordName}`;
  const fs = record.samplingRate;
  if (!(Number.isFinite(fs) && fs >= FREQUENCY_RANGE.min && fs <= FREQUENCY_RANGE.max)) {
    return `${name}: sampling rate ${fs} Hz is outside the plausible range ${FREQUENCY_RANGE.min}-${FREQUENCY_RANGE.max} Hz`;
  }
  if (!(Number.isInteger(record.length) && record.length > 0)) return `${name}: record has no samples (length ${record.length})`;
  if (record.leads.length === 0) return `${name}: record has no leads`;
  if (record.leads.length > MAX_SIGNALS) return `${name}: ${record.leads.length} leads is more than the ${MAX_SIGNALS} LeadLens reads`;
  for (const lead of record.leads) {
    if (!(Number.isFinite(lead.gain) && Math.abs(lead.gain) >= GAIN_RANGE.min && Math.abs(lead.gain) <= GAIN_RANGE.max)) {
      return `${name}: lead ${lead.name}: gain ${lead.gain} is outside the plausible range ${GAIN_RANGE.min}-${GAIN_RANGE.max}`;
    }
    if (!Number.isFinite(lead.baseline)) return `${name}: lead ${lead.name}: baseline ${lead.baseline} is not a number`;
    if (lead.digital.length !== record.length) {
      return `${name}: lead ${lead.name} has ${lead.digital.length} samples, the record ${record.length}`;
    }
  }
  return undefined;
}
