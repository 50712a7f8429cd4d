import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

/** One plain-text mail. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** What the mailer writes to: the process's logger (pino's shape). */
export interface MailLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Deliver = (mail: Mail) => Promise<void>;

/** SMTP through nodemailer: `smtp://` (STARTTLS when offered) or `smtps://`, credentials in the URL. */
function smtp(url: string, from: string): Deliver {
  const transport = nodemailer.createTransport(url);
  return async (mail) => {
    await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
  };
}

/**
 * Without SMTP, the mail itself goes to the log, links and all: on a developer's machine that
 * is how a sign-up link arrives. It is the one place a link's secret is ever written down.
 */
function toLog(log: MailLog): Deliver {
  return async (mail) => log.info({ mail }, 'mail not sent (no SMTP_URL): written to the log instead');
}

/**
 * Outgoing mail. Sending happens after the request is answered, so an answer never waits for a
 * mail server, and its timing cannot tell whether a mail was sent (whether an address is known).
 */
export class MailService {
  private readonly deliver: Deliver;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    config: Pick<Config, 'mail'>,
    private readonly log: MailLog,
  ) {
    this.deliver = config.mail.smtpUrl ? smtp(config.mail.smtpUrl, config.mail.from) : toLog(log);
  }

  /** Whether mail really leaves (SMTP) or is written to the log. */
  static mode(config: Pick<Config, 'mail'>): 'smtp' | 'log' {
    return config.mail.smtpUrl ? 'smtp' : 'log';
  }

  /** Queues a mail; a failure is logged (without the mail's text), never thrown at the caller. */
  send(mail: Mail): void {
    const sending = this.deliver(mail)
      .catch((err: Error) =>
        this.log.error(
          { err: { message: err.message }, to: mail.to, subject: mail.subject },
          'sending mail failed',
        ),
      )
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  /** Resolves when every queued mail has been handed over (at shutdown, and in tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
