import { expect } from 'chai';
import type nodemailer from 'nodemailer';
import sinon from 'sinon';
import { createMemoryLogger } from '../support/memory-logger.js';
import { DevMailbox, NodemailerMailer, createSmtpTransport, type SentMail } from '../../src/services/mailer.js';

const mail = (subject: string): SentMail => ({ from: 'Shop <shop@example.com>', to: 'ada@example.com', subject, text: '', sentAt: '' });

/** A transport that only records what it is asked to send. */
function recordingTransport(): { transport: nodemailer.Transporter; sent: sinon.SinonStub } {
  const sent = sinon.stub().resolves({});
  return { transport: { sendMail: sent } as unknown as nodemailer.Transporter, sent };
}

describe('DevMailbox', () => {
  it('when more mails arrive than it holds, then it keeps the newest, oldest first', () => {
    const mailbox = new DevMailbox(2);
    mailbox.record(mail('one'));
    mailbox.record(mail('two'));
    expect(mailbox.list().map((kept) => kept.subject)).to.deep.equal(['one', 'two']);
    mailbox.record(mail('three'));
    expect(mailbox.list().map((kept) => kept.subject)).to.deep.equal(['two', 'three']);
  });

  it('when nothing is said about its size, then it keeps the last 100', () => {
    const mailbox = new DevMailbox();
    for (let n = 1; n <= 101; n++) mailbox.record(mail(`mail ${n}`));
    const subjects = mailbox.list().map((kept) => kept.subject);
    expect(subjects).to.have.length(100);
    expect([subjects[0], subjects[99]]).to.deep.equal(['mail 2', 'mail 101']);
  });

  it('when cleared, then it lists nothing', () => {
    const mailbox = new DevMailbox();
    mailbox.record(mail('one'));
    mailbox.clear();
    expect(mailbox.list()).to.deep.equal([]);
  });
});

describe('NodemailerMailer', () => {
  afterEach(() => sinon.restore());

  describe('send()', () => {
    it('when a mail is sent, then the transport gets it from the shop, as written', async () => {
      const { transport, sent } = recordingTransport();
      await new NodemailerMailer({ transport }).send({ to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hello' });
      expect(sent.firstCall.args).to.deep.equal([{ from: 'Shop <shop@example.com>', to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hello' }]);
    });

    it('when a sender is configured, then the mail and the mailbox copy come from it', async () => {
      const { transport, sent } = recordingTransport();
      const mailbox = new DevMailbox();
      await new NodemailerMailer({ transport, mailbox, from: 'Orders <orders@example.com>' }).send({ to: 'ada@example.com', subject: 'Hi', text: '' });
      expect((sent.firstCall.args[0] as { from: string }).from).to.equal('Orders <orders@example.com>');
      expect(mailbox.list()[0]?.from).to.equal('Orders <orders@example.com>');
    });

    it('when there is neither mailbox nor logger (a worker with SMTP), then it just sends', async () => {
      const { transport, sent } = recordingTransport();
      await new NodemailerMailer({ transport }).send({ to: 'ada@example.com', subject: 'Hi', text: '' });
      expect(sent.calledOnce).to.be.true;
    });

    it('when the transport fails, then send rejects and the mailbox keeps no copy', async () => {
      const transport = { sendMail: sinon.stub().rejects(new Error('SMTP down')) } as unknown as nodemailer.Transporter;
      const mailbox = new DevMailbox();
      const error: unknown = await new NodemailerMailer({ transport, mailbox }).send({ to: 'ada@example.com', subject: 'Hi', text: '' }).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error).with.property('message', 'SMTP down');
      expect(mailbox.list()).to.deep.equal([]);
    });

    it('when a mail is sent, then its info line carries the recipient and subject as fields', async () => {
      const { logger, entries } = createMemoryLogger();
      const { transport } = recordingTransport();
      await new NodemailerMailer({ transport, logger }).send({ to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hello' });
      expect(entries[0]).to.include({ to: 'ada@example.com', subject: 'Welcome, Ada' });
    });

    it('when a mail is sent, then the mailbox keeps it and one info line names the recipient and subject', async () => {
      const { logger, entries } = createMemoryLogger();
      const mailbox = new DevMailbox();
      await new NodemailerMailer({ mailbox, logger }).send({ to: 'ada@example.com', subject: 'Welcome, Ada', text: 'Hello' });
      expect(mailbox.list().map(({ to, subject }) => ({ to, subject }))).to.deep.equal([{ to: 'ada@example.com', subject: 'Welcome, Ada' }]);
      expect(entries.map(({ level, message }) => ({ level, message }))).to.deep.equal([
        { level: 'info', message: 'Mail sent to ada@example.com: Welcome, Ada' },
      ]);
    });
  });
});

describe('createSmtpTransport()', () => {
  /** The options nodemailer's SMTP transport was made with. */
  const optionsOf = (transport: nodemailer.Transporter): Record<string, unknown> =>
    (transport as unknown as { transporter: { options: Record<string, unknown> } }).transporter.options;

  it('when SMTP_URL names no timeouts, then the server gets 3 s to connect and greet and 5 s per answer', () => {
    expect(optionsOf(createSmtpTransport('smtp://127.0.0.1:2525'))).to.include({ connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 5000 });
  });

  it('when SMTP_URL sets a timeout in its query, then that one wins and the others keep their defaults', () => {
    const options = optionsOf(createSmtpTransport('smtp://127.0.0.1:2525?socketTimeout=20000'));
    expect(options).to.include({ connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 20000 });
  });
});
