import nodemailer from 'nodemailer';

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

/**
 * Sends through a nodemailer transport. The default transport renders the message and
 * delivers it nowhere; the mailbox keeps a copy, for `GET /dev/mailbox`.
 */
export class NodemailerMailer implements Mailer {
  readonly #transport: nodemailer.Transporter;
  readonly #from: string;
  readonly #mailbox: DevMailbox | undefined;

  constructor(deps: { transport?: nodemailer.Transporter; from?: string; mailbox?: DevMailbox } = {}) {
    this.#transport = deps.transport ?? nodemailer.createTransport({ jsonTransport: true });
    this.#from = deps.from ?? 'Shop <shop@example.com>';
    this.#mailbox = deps.mailbox;
  }

  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({ from: this.#from, ...message });
    this.#mailbox?.record({ from: this.#from, ...message, sentAt: new Date().toISOString() });
  }
}
