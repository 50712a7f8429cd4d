import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { type DemoAccount, type DemoApp, seedDemo } from './demo/seed.js';
import { MailService } from './mail/mailer.js';
import { buildServices, purgeExpired } from './services.js';
import { createLogger, flushLog } from './web/logging.js';

function printDemo(config: Config, demo: { accounts: DemoAccount[]; app: DemoApp }) {
  const { app } = demo;
  const lines = [
    '',
    `  Porter demo data created. Open ${config.publicUrl} and sign in as:`,
    ...demo.accounts.map(
      (a) =>
        `    ${a.role.padEnd(15)} ${a.email}  password: ${a.password}  (${a.companies.join(', ') || 'the admin area, /admin'})`,
    ),
    `  Demo app "${app.name}" (${app.id}) of Acme Apps:`,
    `    API key          ${app.apiKey}`,
    `    client ID        ${app.clientId}`,
    `    client secret    ${app.clientSecret}`,
    `    distribution URL ${app.distributionUrl}`,
    `    marketplace      ${config.publicUrl}/marketplace/apps/${app.id}`,
    `  To install it, sign in as ${demo.accounts.find((a) => a.role === 'customer admin')?.email ?? 'the customer admin'} and open the distribution URL.`,
    '  These passwords and secrets are shown only now (Porter stores only hashes).',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Says at start where mail goes; on PostgreSQL (production) without SMTP, as a warning. */
function warnAboutMail(
  config: Config,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
) {
  const mode = MailService.mode(config);
  if (mode === 'smtp')
    return log.info({ mail: 'smtp', from: config.mail.from }, 'mail is sent through SMTP_URL');
  const message =
    'SMTP_URL is not set: mails (sign-up verification, invitations, password resets) are written to this log, links included, instead of being sent. Set SMTP_URL and PORTER_MAIL_FROM to send them.';
  if (config.database.dialect === 'postgres') log.warn({ mail: 'log', signUp: config.signUp }, message);
  else log.info({ mail: 'log', signUp: config.signUp }, message);
}

/** Starts Porter: config → database → app → listen; stops cleanly on SIGTERM and SIGINT. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`porter: invalid configuration: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const logging = createLogger(config.logLevel);
  const { log } = logging;
  const services = buildServices(config, db, log);
  const seedable = config.demo === true || (config.demo === 'auto' && config.database.dialect === 'sqlite');
  if (seedable && (config.demo === true || (await services.accounts.isEmpty()))) {
    const demo = await seedDemo(services);
    if (demo) printDemo(config, demo);
  }
  const app = await buildApp({ config, db, services, logger: logging });
  const purge = setInterval(() => {
    purgeExpired(services).catch((err) => app.log.error({ err }, 'purging expired sessions failed'));
  }, 3600_000);
  purge.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    clearInterval(purge);
    // Stop accepting and let in-flight requests finish. A keep-alive connection that served one
    // is closed as soon as it is idle (a client may hold it for a minute otherwise); after 25 s
    // whatever is left is cut.
    const closing = app.close();
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    const cut = setTimeout(() => app.server.closeAllConnections(), 25_000);
    await closing;
    clearInterval(sweep);
    clearTimeout(cut);
    await services.mail.idle();
    await db.destroy();
    // The log is written asynchronously: flush it before leaving.
    await flushLog(app.log);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  warnAboutMail(config, app.log);
  app.log.info({ url: config.publicUrl, database: config.database.dialect }, 'Porter is listening');
}
