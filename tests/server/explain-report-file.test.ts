// The saliency report's files reach the page through the API (explain.reportFile), over `leadlens serve` as bytes
// behind the token: a page it serves cannot open file:// links. Only the files the run lists, from its report folder:
// a name that is a path, climbs out with '..' or is a link pointing out of the folder is a 4xx with a one-line error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainReportFile, ExplainRun } from '../../src-shared/api.ts';
import { decodeBinaryResult } from '../../src-shared/binary-result.ts';
import { createServices } from '../../src-main/api/services.ts';
import { rendererDir } from '../../src-main/resources.ts';
import { startServer, type RunningServer } from '../../src-main/server/serve.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { readExplainReportFile, startExplainRun } from '../../src-main/workspace/explain-runs.ts';
import type { ExplainSummary } from '../../src-main/workspace/explain-records.ts';
import { postApi } from '../helpers/api-post.ts';

let ws: Workspace;
let server: RunningServer;
let run: ExplainRun;
const FINDING = 'Guided Grad-CAM, 3x4+II vs 6x2: median per-lead Spearman 0.41 [0.30, 0.52] over 2 records\n';

function post(method: string, params: unknown): Promise<{ status: number; type: string; body: Buffer }> {
  return postApi(server.port, method, params, { Authorization: `Bearer ${server.token}` });
}

beforeAll(async () => {
  ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-report-file-')));
  // A finished run as the UI starts one, its explain replaced by one that writes a report as the audit does, plus a
  // file in the report folder that links to the workspace's database (listed, but pointing out of the folder).
  const dir = path.join(ws.dir, 'explain', 'audit-1');
  const finished = new Promise<ExplainRun>((resolve) => {
    startExplainRun(
      ws,
      { modelId: 1, methods: ['guided-grad-cam'], recordIds: [1] },
      (r) => r.state !== 'running' && resolve(r),
      async () => {
        fs.mkdirSync(dir, { recursive: true });
        const files = {
          'report.json': '{"maps":2}\n',
          'findings.txt': FINDING,
          'agreement.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
          'pairs.csv': 'pair\n',
        };
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
        fs.symlinkSync(path.join(ws.dir, 'leadlens.db'), path.join(dir, 'linked.csv'));
        return {
          maps: 2,
          skipped: [],
          sanityFlagged: [],
          findings: [FINDING.trim()],
          reportFiles: [...Object.keys(files), 'linked.csv'].map((n) => path.join(dir, n)),
        } as unknown as ExplainSummary;
      },
    );
  });
  run = await finished;
  server = await startServer({
    session: { services: createServices(ws, () => undefined, 'http'), onEvent: () => () => undefined },
    rendererDir: rendererDir(),
  });
});
afterAll(async () => {
  await server.close();
  ws.close();
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

describe('explain.reportFile', () => {
  it("sends a listed file of the run's report as bytes", async () => {
    expect(run.state).toBe('finished');
    const r = await post('explain.reportFile', { id: run.id, name: 'findings.txt' });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/octet-stream');
    const file = decodeBinaryResult<ExplainReportFile>(
      r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.byteLength) as ArrayBuffer,
    );
    expect(file.name).toBe('findings.txt');
    expect(new TextDecoder().decode(file.bytes)).toBe(FINDING);
  });

  it('refuses hostile names with a 4xx and a one-line error, and an unknown run with 404', async () => {
    for (const name of [
      '../../leadlens.db',
      '../audit-1/findings.txt',
      path.join(ws.dir, 'leadlens.db'),
      '/etc/passwd',
      '..',
      'findings.txt/../../../leadlens.db',
      '..\\..\\leadlens.db',
      'linked.csv',
      'maps.csv',
    ]) {
      const r = await post('explain.reportFile', { id: run.id, name });
      expect(r.status, name).toBe(400);
      expect(r.type).toMatch(/^application\/json/);
      const error = (JSON.parse(r.body.toString('utf8')) as { error: string }).error;
      expect(error.split('\n'), name).toHaveLength(1);
      expect(error, name).toMatch(
        /^explain\.reportFile: no such report file '.*' in saliency run \d+ \(one of report\.json, findings\.txt/,
      );
      expect(r.body.includes('SQLite format')).toBe(false);
    }
    // A listed file deleted since the run is absent too, not a failure of ours.
    fs.rmSync(path.join(ws.dir, 'explain', 'audit-1', 'pairs.csv'));
    const gone = await post('explain.reportFile', { id: run.id, name: 'pairs.csv' });
    expect(gone.status).toBe(400);
    expect((JSON.parse(gone.body.toString('utf8')) as { error: string }).error).toMatch(
      /^explain\.reportFile: no such report file 'pairs\.csv'/,
    );
    const unknown = await post('explain.reportFile', { id: run.id + 1000, name: 'report.json' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString('utf8'))).toEqual({ error: `no saliency run ${run.id + 1000}` });
    const empty = await post('explain.reportFile', { id: run.id, name: '' });
    expect(empty.status).toBe(400);
  });

  it('reads the same file in process (the Electron shell calls the same services)', () => {
    expect(new TextDecoder().decode(readExplainReportFile(run.id, 'report.json').bytes)).toBe('{"maps":2}\n');
    expect(() => readExplainReportFile(run.id, '../../leadlens.db')).toThrow(/^no such report file/);
  });
});
