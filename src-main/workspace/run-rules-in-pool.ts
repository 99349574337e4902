// `leadlens rules --all` on worker threads: the rule detectors are pure CPU work per record, so records spread over the cores.
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { Workspace } from '../store/workspace.ts';
import { batchPoolSize, createAnalysisPool } from './analysis-pool.ts';
import type { StoredRunOutcome } from './run-rules.ts';

/**
 * `runStoredRules` over many records on worker threads (one per core: the caller only waits), in chunks of records,
 * each worker with its own connection and each record stored in its own BEGIN IMMEDIATE transaction. Outcomes come
 * back in the order of `recordIds`; a chunk whose worker fails reports each of its records as skipped with the reason.
 */
export async function runStoredRulesInPool(
  ws: Workspace,
  recordIds: number[],
  leadSet: LeadSetSize,
  opts: { poolSize?: number; chunk?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<StoredRunOutcome[]> {
  const chunk = opts.chunk ?? 50;
  const pool = createAnalysisPool(ws, { size: opts.poolSize ?? batchPoolSize() });
  let done = 0;
  try {
    const chunks: number[][] = [];
    for (let i = 0; i < recordIds.length; i += chunk) chunks.push(recordIds.slice(i, i + chunk));
    const results = await Promise.all(
      chunks.map(async (ids) => {
        const outcomes = await pool
          .run('storedRules', { ids, leadSet })
          .catch((e: Error) =>
            ids.map((id): StoredRunOutcome => ({ recordId: id, recordName: '?', error: e.message.split('\n')[0], results: [] })),
          );
        done += ids.length;
        opts.onProgress?.(done, recordIds.length);
        return outcomes;
      }),
    );
    return results.flat();
  } finally {
    await pool.close();
  }
}
