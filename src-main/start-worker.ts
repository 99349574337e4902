// Starts a worker-thread entry from beside the module that asks: the built bundle (dist/main/NAME.mjs), or from source
// the .ts through tsx's loader. A leaf module so that every layer with a worker (store, ml, workspace) can use it.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `base` is the URL of the module the entry sits beside (a bundle puts every entry in dist/main). From source, tsx is
 * registered inside the worker (`--import tsx` in execArgv does not reach worker module loading).
 */
export function startWorker(name: string, base: string, options: WorkerOptions = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.mjs`, base), options);
  const entry = new URL(`./${name}.ts`, base).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, {
    ...options,
    eval: true,
  });
}
