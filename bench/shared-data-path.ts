// Where benchmarks find the real data (same layout as CI): ../shared/data beside the repository.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data');
