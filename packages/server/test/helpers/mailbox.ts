import { SMTPServer } from 'smtp-server';

/** One mail as the test's SMTP server received it: envelope, headers and decoded text. */
export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/** Decodes a MIME body part by its Content-Transfer-Encoding (nodemailer picks QP or base64). */
function decodeBody(headers: string, body: string): string {
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return body;
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

/** The subject, decoding RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`). */
function decodeSubject(raw: string): string {
  return raw.replace(/\s*=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
  );
}

function parse(raw: string, envelope: { to: string[]; from: string }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const subject = decodeSubject(/^subject:\s*(.*)$/im.exec(headers)?.[1] ?? '');
  return { ...envelope, subject, text: decodeBody(headers, raw.slice(split + 4)) };
}

/** A real SMTP server inside the test process, on a free port: Porter's SMTP_URL points at it. */
export class Mailbox {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          this.received.push(parse(Buffer.concat(chunks).toString('utf8'), { to, from }));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  /** What Porter's environment needs to send here. */
  get env(): Record<string, string> {
    return { SMTP_URL: `smtp://127.0.0.1:${this.port}`, PORTER_MAIL_FROM: 'Porter <porter@test.example>' };
  }

  /** Waits for the next mail to `to` whose subject matches, among those not taken yet; takes it. */
  async next(to: string, subject: RegExp, withinMs = 5000): Promise<ReceivedMail> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const i = this.received.findIndex((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
      if (i !== -1) return this.received.splice(i, 1)[0] as ReceivedMail;
      if (Date.now() > deadline) {
        const seen = this.received.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n');
        throw new Error(`no mail to ${to} matching ${subject} within ${withinMs} ms; unread:\n${seen}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Every mail to `to` received so far and not taken. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The Porter link in a mail (its path and query), for a browser or a PageClient to open. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`https?://[^\\s/]+(${path.replace(/[/?]/g, '\\$&')}\\?token=[^\\s]+)`).exec(
    mail.text,
  );
  if (!match?.[1]) throw new Error(`no ${path} link in the mail:\n${mail.text}`);
  return match[1];
}
