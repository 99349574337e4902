// The worklist's queue counts list the workspace's lead counts (SELECT DISTINCT lead_count) and its lead filter
// matches on them: without an index both scan every record, which at 100,000 records is the slowest part of a count.
export const migration = {
  version: 16,
  name: 'record-lead-count-index',
  sql: `CREATE INDEX record_lead_count_idx ON record(lead_count);`,
};
