// `npm run example`: the partner app against a running Porter, configured by the environment.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startExampleApp } from './app.js';
import { configFromEnv } from './config.js';

try {
  const options = configFromEnv(process.env);
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const app = await startExampleApp(options);
  process.stdout.write(
    `Partner app on ${app.url} (Porter: ${options.porterUrl}, tokens in ${options.dbPath})\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
