// `npm start`: the Electron app when its binary is installed; otherwise (as on machines that cannot
// download it) one line saying so, then `leadlens serve` with the URL to open.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const extra = process.argv.slice(2);

let electronBinary;
try {
  electronBinary = require('electron'); // the package's index throws when its binary was not downloaded
} catch {
  electronBinary = undefined;
}

const child = electronBinary
  ? spawn(electronBinary, [root, ...extra], { stdio: 'inherit' })
  : (process.stderr.write('Electron binary not installed here; starting `leadlens serve` instead (open the URL below in a browser).\n'),
    spawn(process.execPath, [path.join(root, 'bin', 'leadlens.mjs'), 'serve', ...extra], { stdio: 'inherit' }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
