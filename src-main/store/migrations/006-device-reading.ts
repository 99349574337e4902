export const migration = {
  version: 6,
  name: 'device-reading',
  sql: `
-- The device's own reading (measurements, statements, filters) and the reader's warnings, as JSON; NULL when none.
ALTER TABLE record ADD COLUMN device TEXT;
ALTER TABLE record ADD COLUMN warnings TEXT;
`,
};
