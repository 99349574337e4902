// `npm run test:unit`: the fast loop, in-process only: no built bundle (dist/), no spawned CLI or `serve`, no
// Chromium. Process tests are named *.process.test.ts (they run the built CLI, `serve` or scripts/, or fetch the
// built renderer) and browser tests live in tests/e2e/. A test that does so but is not yet named so is left out
// too (it imports the run-cli or browser helper or node:child_process, or fetches '/index.html'), so the loop
// never needs a build whatever lands on main.
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

const NEEDS_BUILD = /helpers\/(run-cli|browser)(\.ts)?['"]|['"]node:child_process['"]|['"`]\/index\.html['"`]/;
const unnamedProcessTests = fs
  .readdirSync('tests', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts') && !f.endsWith('.process.test.ts') && !f.startsWith(`e2e${path.sep}`))
  .filter((f) => NEEDS_BUILD.test(fs.readFileSync(path.join('tests', f), 'utf8')))
  .map((f) => path.posix.join('tests', ...f.split(path.sep)));

export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['**/node_modules/**', 'tests/e2e/**', 'tests/**/*.process.test.ts', ...unnamedProcessTests] },
  }),
);
