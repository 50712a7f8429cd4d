import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { buildServices, type Services } from '../services.js';
import { createLogger } from '../web/logging.js';
import { type Io, UsageError } from './output.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface Context {
  values: Values;
  json: boolean;
  env: NodeJS.ProcessEnv;
  io: Io;
}

/** One CLI command: its words (`company create`), its options and what it does. */
export interface Command {
  words: string[];
  summary: string;
  options: Options;
  /** Option names that must be given. */
  required?: string[];
  run(ctx: Context): Promise<void>;
}

export const COMMON_OPTIONS: Options = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/** Parses `args` strictly against a command's options; unknown or missing options are usage errors. */
export function parseOptions(command: Command, args: string[]): Values {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...command.options },
      strict: true,
      allowPositionals: false,
    }) as {
      values: Values;
    });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^[^:]*: /, ''));
  }
  if (!values.help) {
    for (const name of command.required ?? []) {
      if (values[name] === undefined)
        throw new UsageError(`missing --${name} (see porter ${command.words.join(' ')} --help)`);
    }
  }
  return values;
}

/** Text of `porter <command> --help`. */
export function helpOf(command: Command): string {
  const opts = Object.entries({ ...command.options, ...COMMON_OPTIONS }).map(([name, o]) => {
    const arg = o.type === 'string' ? ` <${name}>` : '';
    const req = command.required?.includes(name) ? ' (required)' : '';
    return `  --${name}${arg}${req}`;
  });
  return [
    `Usage: porter ${command.words.join(' ')} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...opts,
  ].join('\n');
}

/** Opens the database named by DATABASE_URL, brings it to the latest schema, and runs `fn`. */
export async function withServices<T>(
  env: NodeJS.ProcessEnv,
  fn: (s: Services, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    // Mail without SMTP is written to standard error, where the operator sees it.
    const services = buildServices(config, db, createLogger(config.logLevel, process.stderr).log);
    try {
      return await fn(services, config);
    } finally {
      await services.mail.idle();
    }
  } finally {
    await db.destroy();
  }
}
