import type { CliCommand } from '../command.ts';
import { command as ingest } from './ingest.ts';
import { command as serve } from './serve.ts';

/** Every CLI command. A new command is a new file in this folder plus one entry here. */
export const COMMANDS: CliCommand[] = [serve, ingest];
