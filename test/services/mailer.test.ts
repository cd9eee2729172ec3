import { expect } from 'chai';
import { createMemoryLogger } from '../support/memory-logger.js';
import { DevMailbox, NodemailerMailer } from '../../src/services/mailer.js';

describe('NodemailerMailer', () => {
  describe('send()', () => {
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
