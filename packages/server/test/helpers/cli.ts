import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';

/** Runs the porter CLI in this process with `env`, capturing what it prints. */
export async function porterCli(args: string[], env: NodeJS.ProcessEnv, stdin = '') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), input: async () => stdin };
  const status = await run(args, env, io);
  return { status, out: stdout.join('\n'), err: stderr.join('\n') };
}
