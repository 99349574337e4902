import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the project. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The real ECG data beside the project (`../shared/data`), as on CI. */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');
export const dataPath = (...parts: string[]): string => path.join(SHARED_DATA, ...parts);
