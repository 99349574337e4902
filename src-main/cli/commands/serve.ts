import { startAppSession } from '../../api/app-session.ts';
import { rendererDir } from '../../resources.ts';
import { isLoopbackAddress, normaliseHostName } from '../../server/host-policy.ts';
import { startServer } from '../../server/serve.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { intOption, listOption } from '../parse-args.ts';

export const command: CliCommand = {
  name: ['serve'],
  summary: 'serve the app to a browser on this machine (HTTP + WebSocket, token-protected)',
  usage:
    'leadlens serve [--port N] [--host ADDR --allow-host NAME[,NAME]] [--analysis-workers N] [--workspace DIR] [--no-samples] [--json]',
  options: { port: 'string', host: 'string', 'allow-host': 'list', 'analysis-workers': 'string', 'no-samples': 'boolean' },
  async run(args, ctx) {
    // Every option is checked before the workspace is opened or seeded.
    const port = intOption(args, 'port', 0, 0, 65535);
    const analysisWorkers = args.options['analysis-workers'] === undefined ? undefined : intOption(args, 'analysis-workers', 1, 0, 16);
    const host = typeof args.options.host === 'string' ? args.options.host : '127.0.0.1';
    if (!/^[0-9a-fA-F:.]+$|^localhost$/.test(host)) throw new UsageError(`--host must be an IP address, got '${host.slice(0, 60)}'`);
    const allowHosts = (listOption(args, 'allow-host', 'host names or IP addresses separated by commas') ?? []).map((name) => {
      const n = normaliseHostName(name);
      if (!n) throw new UsageError(`--allow-host takes host names or IP addresses without port, got '${name.slice(0, 60)}'`);
      return n;
    });
    if (!isLoopbackAddress(host)) {
      if (allowHosts.length === 0)
        throw new UsageError(`--host ${host} is not loopback: name the hosts browsers will use with --allow-host NAME[,NAME]`);
      process.stderr.write(
        `leadlens serve: warning: --host ${host} lets other machines reach this workspace; anyone with the printed URL (token) can read and change it\n`,
      );
    }
    const session = await startAppSession({
      workspaceDir: ctx.workspaceDir,
      transport: 'http',
      seed: !args.options['no-samples'],
      ...(analysisWorkers !== undefined ? { analysisWorkers } : {}),
    });
    let server;
    try {
      server = await startServer({ session, rendererDir: rendererDir(), host, port, allowHosts });
    } catch (e) {
      await session.close();
      throw e;
    }
    if (ctx.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port, workspace: session.workspace.dir }) + '\n');
    else ctx.log(`LeadLens is serving ${session.workspace.dir}\nOpen ${server.url}\n(Ctrl-C to stop)`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await server.close();
    await session.close();
    return undefined;
  },
};
