import { Worker } from 'node:worker_threads';
const url = new URL('./src-main/ml/train-worker.ts', import.meta.url);
for (const mode of ['execArgv', 'eval']) {
  const w = mode === 'execArgv' ? new Worker(url, { execArgv: ['--import', 'tsx'] })
    : new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
  await new Promise((res) => { w.on('error', (e) => { console.log(mode, 'error', e.message.split('\n')[0]); res(); }); w.on('online', () => setTimeout(() => { console.log(mode, 'online'); w.terminate(); res(); }, 1500)); });
}
