import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, type TestPorter } from './porter.js';

const BIN = fileURLToPath(new URL('../../bin/porter.js', import.meta.url));

/** A Porter server in a process of its own (the built `porter start`), over another server's database. */
export interface PorterProcess {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/** Starts `porter start` on a free port over `first`'s database and waits until it is ready. */
export async function spawnPorter(
  first: TestPorter,
  env: Record<string, string> = {},
): Promise<PorterProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: first.database.url,
      PORTER_PUBLIC_URL: url,
      PORTER_DEMO: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`porter start exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i === 150) throw new Error('porter start did not become ready in 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
