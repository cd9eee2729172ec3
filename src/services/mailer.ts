import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface SentMail extends MailMessage {
  from: string;
  sentAt: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Where development mail ends up: the last `capacity` messages, newest last. */
export class DevMailbox {
  readonly #messages: SentMail[] = [];

  constructor(private readonly capacity = 100) {}

  record(mail: SentMail): void {
    this.#messages.push(mail);
    if (this.#messages.length > this.capacity) this.#messages.shift();
  }

  list(): SentMail[] {
    return [...this.#messages];
  }

  clear(): void {
    this.#messages.length = 0;
  }
}

/** How long an SMTP server may take, in ms: to accept the connection, to greet, and to answer each command. */
export interface SmtpTimeouts {
  readonly connectionMs: number;
  readonly greetingMs: number;
  readonly socketMs: number;
}

// nodemailer's own defaults are 2 min, 30 s and 10 min: a hung server would hold a receiver for minutes.
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 3000, greetingMs: 3000, socketMs: 5000 };

/**
 * An SMTP transport for `url` (`smtp://user:pass@host:587`, `smtps://...`) that gives up on a
 * server that hangs. nodemailer reads its options from the URL's query, so a
 * `?socketTimeout=20000` there wins over `timeouts`.
 */
export function createSmtpTransport(url: string, timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS): nodemailer.Transporter {
  const withTimeouts = new URL(url);
  const defaults = { connectionTimeout: timeouts.connectionMs, greetingTimeout: timeouts.greetingMs, socketTimeout: timeouts.socketMs };
  for (const [name, ms] of Object.entries(defaults)) {
    if (!withTimeouts.searchParams.has(name)) withTimeouts.searchParams.set(name, String(ms));
  }
  return nodemailer.createTransport(withTimeouts.toString());
}

export interface NodemailerMailerDeps {
  readonly transport?: nodemailer.Transporter;
  readonly from?: string;
  readonly mailbox?: DevMailbox;
  /** Gets one info line per mail sent: the trace of mail sent by a worker, which has no mailbox to show. */
  readonly logger?: Pick<Logger, 'info'>;
}

/**
 * Sends through a nodemailer transport. The default transport renders the message and
 * delivers it nowhere; the mailbox keeps a copy, for `GET /dev/mailbox`.
 */
export class NodemailerMailer implements Mailer {
  readonly #transport: nodemailer.Transporter;
  readonly #from: string;
  readonly #mailbox: DevMailbox | undefined;
  readonly #logger: Pick<Logger, 'info'> | undefined;

  constructor(deps: NodemailerMailerDeps = {}) {
    this.#transport = deps.transport ?? nodemailer.createTransport({ jsonTransport: true });
    this.#from = deps.from ?? 'Shop <shop@example.com>';
    this.#mailbox = deps.mailbox;
    this.#logger = deps.logger;
  }

  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({ from: this.#from, ...message });
    this.#mailbox?.record({ from: this.#from, ...message, sentAt: new Date().toISOString() });
    this.#logger?.info(`Mail sent to ${message.to}: ${message.subject}`, { to: message.to, subject: message.subject });
  }
}
