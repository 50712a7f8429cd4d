import { ConfigError } from '../config.js';
import { DomainError, type ErrorCode, ValidationError } from '../lib/errors.js';

/** Thrown for wrong usage: unknown command or option, missing argument. Exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** All of standard input, for secrets that must not appear in argv (`--password-stdin`). */
  input: () => Promise<string>;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  input: async () => {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text;
  },
};

/** Prints a result as JSON (`--json`) or as `human` text. */
export function printResult(io: Io, json: boolean, value: unknown, human: string) {
  io.out(json ? JSON.stringify(value, null, 2) : human);
}

/** Prints an error in the chosen form and returns the exit status. */
export function printError(io: Io, json: boolean, error: unknown): number {
  let status = 1;
  let body: { code: ErrorCode; message: string; errors?: Record<string, string> };
  if (error instanceof UsageError) {
    status = 2;
    body = { code: 'usage', message: error.message };
  } else if (error instanceof ValidationError) {
    body = { code: error.code, message: 'invalid input', errors: error.fields };
  } else if (error instanceof DomainError || error instanceof ConfigError) {
    body = { code: error instanceof DomainError ? error.code : 'config', message: error.message };
  } else {
    body = { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
  }
  if (json) io.err(JSON.stringify({ error: body }));
  else if (body.errors)
    io.err(
      `porter: ${Object.entries(body.errors)
        .map(([k, v]) => `--${k} ${v}`)
        .join('; ')}`,
    );
  else io.err(`porter: ${body.message}`);
  return status;
}
