import type { ExampleOptions } from './app.js';

/** The example app's settings from the environment (the one place that reads it). */
export function configFromEnv(env: NodeJS.ProcessEnv): ExampleOptions {
  const clientId = env.PORTER_CLIENT_ID ?? '';
  const clientSecret = env.PORTER_CLIENT_SECRET ?? '';
  if (!clientId || !clientSecret)
    throw new Error(
      "Set PORTER_CLIENT_ID and PORTER_CLIENT_SECRET to the app's credentials (npm start prints the demo app's).",
    );
  const port = Number(env.EXAMPLE_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error('EXAMPLE_PORT must be a port number.');
  return {
    porterUrl: env.PORTER_URL ?? 'http://localhost:3000',
    clientId,
    clientSecret,
    port,
    publicUrl: env.EXAMPLE_URL ?? `http://localhost:${port}`,
    dbPath: env.EXAMPLE_DB ?? 'data/partner-app.db',
  };
}
