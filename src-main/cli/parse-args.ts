import type { CliArgs, CliCommand } from './command.ts';
import { UsageError } from './command.ts';

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, 'string' | 'boolean' | 'list'> = { workspace: 'string', json: 'boolean', help: 'boolean' };

/** Splits argv (after the command words) into positionals and the command's declared options. */
export function parseArgs(argv: string[], command: CliCommand): CliArgs {
  const spec = { ...GLOBAL_OPTIONS, ...command.options };
  const out: CliArgs = { positionals: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name} for '${command.name.join(' ')}' (usage: ${command.usage})`);
    if (kind === 'boolean') {
      if (eq > 0) throw new UsageError(`option --${name} takes no value`);
      out.options[name] = true;
    } else {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      const prev = out.options[name];
      out.options[name] = kind === 'list' && typeof prev === 'string' ? `${prev},${v}` : v;
    }
  }
  return out;
}

/**
 * A 'list' option's values (given comma-separated and/or repeated), or undefined when absent; empty is a usage error
 * ("--NAME needs `what`").
 */
export function listOption(args: CliArgs, name: string, what = 'a value'): string[] | undefined {
  const v = args.options[name];
  if (v === undefined) return undefined;
  const values =
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  if (values.length === 0) throw new UsageError(`--${name} needs ${what}`);
  return values;
}

export function intOption(args: CliArgs, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = args.options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** --model ID, required by the model commands. */
export function modelIdOption(args: CliArgs, command: string): number {
  const v = args.options.model;
  if (typeof v !== 'string' || !/^\d+$/.test(v))
    throw new UsageError(
      `${command} needs --model ID (a model id from \`leadlens models\`)${typeof v === 'string' ? `, got '${v.slice(0, 40)}'` : ''}`,
    );
  return Number(v);
}
