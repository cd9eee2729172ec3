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
