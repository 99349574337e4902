// Per-kernel time on one backend, by wrapping its registered kernels: wasm kernels run synchronously, so the time
// around each call is the kernel's. This process's CPU time, not wall time: other load on the machine then barely
// moves the split. Used by bench/ml.bench.ts --profile to see where a training step goes.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';

export interface KernelTime {
  kernel: string;
  calls: number;
  /** Self time: a kernel built from other kernels (wasm-gradient-kernels.ts) is charged only for its own glue. */
  ms: number;
}

export interface KernelProfiler {
  reset(): void;
  /** Kernels by self time, largest first. */
  times(): KernelTime[];
  /** Puts the original kernels back. */
  stop(): void;
}

/** User + system CPU time of this process (all its threads: profile with no worker threads busy). */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** `byShape` keys the times by kernel and input shapes (e.g. to tell a network's convolutions apart). */
export function profileKernels(backendName: string, byShape = false): KernelProfiler {
  const originals = tf.getKernelsForBackend(backendName);
  const totals = new Map<string, { calls: number; ms: number }>();
  // Time spent in nested kernels, per nesting level, so outer kernels can subtract it.
  const childMs: number[] = [];
  for (const config of originals) {
    const inner = config.kernelFunc;
    const wrapped: KernelConfig = {
      ...config,
      kernelFunc: (args) => {
        childMs.push(0);
        const t0 = cpuMs();
        try {
          return inner(args);
        } finally {
          const ms = cpuMs() - t0;
          const nested = childMs.pop()!;
          if (childMs.length) childMs[childMs.length - 1] += ms;
          const key = byShape
            ? `${config.kernelName} ${Object.values(args.inputs)
                .map((i) => `[${i?.shape}]`)
                .join(' ')}`
            : config.kernelName;
          const t = totals.get(key) ?? { calls: 0, ms: 0 };
          t.calls++;
          t.ms += ms - nested;
          totals.set(key, t);
        }
      },
    };
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel(wrapped);
  }
  return {
    reset: () => totals.clear(),
    times: () => [...totals].map(([kernel, t]) => ({ kernel, ...t })).sort((a, b) => b.ms - a.ms),
    stop() {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
    },
  };
}
