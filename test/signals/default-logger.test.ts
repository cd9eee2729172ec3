import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBackend, Signal, getDefaultSignalLogger, resetBackend, setBackend } from '../../src/signals/index.js';
import { logReceiverFailure, type getDefaultSignalLogger as GetDefaultSignalLogger } from '../../src/signals/logger.js';
import { createMemoryLogger } from '../support/memory-logger.js';

interface LoggerModule {
  getDefaultSignalLogger: typeof GetDefaultSignalLogger;
  logReceiverFailure: typeof logReceiverFailure;
}

let copies = 0;

/**
 * A copy of the logger module of its own: the default logger is made once per module, on first
 * use, so each test gets one made fresh.
 */
async function freshLoggerModule(): Promise<LoggerModule> {
  copies += 1;
  return (await import(`../../src/signals/logger.js?copy=${copies}`)) as LoggerModule;
}

/** The lines `log` writes to stdout, parsed; nothing reaches the real stdout meanwhile. */
function stdoutLinesOf(log: () => void): Record<string, unknown>[] {
  const write = sinon.stub(process.stdout, 'write').returns(true);
  try {
    log();
  } finally {
    write.restore();
  }
  return write.getCalls().map((call) => JSON.parse(String(call.args[0])) as Record<string, unknown>);
}

describe('receiver failure logs', () => {
  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('getDefaultSignalLogger()', () => {
    it('when asked twice, then it is the same logger', async () => {
      const { getDefaultSignalLogger } = await freshLoggerModule();
      expect(getDefaultSignalLogger()).to.equal(getDefaultSignalLogger());
    });

    it('when a failure is logged, then stdout gets one JSON line with a timestamp, the fields and the stack', async () => {
      const { getDefaultSignalLogger, logReceiverFailure: logFailure } = await freshLoggerModule();
      const logger = getDefaultSignalLogger();
      const [line, ...others] = stdoutLinesOf(() => logFailure(logger, 'invoice.paid', 'sendReceipt', new TypeError('card declined')));
      expect(others).to.deep.equal([]);
      expect(line).to.include({
        level: 'error',
        message: "Receiver sendReceipt of signal 'invoice.paid' failed: card declined",
        signal: 'invoice.paid',
        receiver: 'sendReceipt',
        errorName: 'TypeError',
        errorMessage: 'card declined',
      });
      expect(line?.timestamp).to.be.a('string').and.match(/^\d{4}-\d{2}-\d{2}T/);
      expect(line?.stack).to.be.a('string').and.include('TypeError: card declined');
    });

    it('when an Error itself is logged, then its line carries its message and stack', async () => {
      const logger = (await freshLoggerModule()).getDefaultSignalLogger();
      const [line] = stdoutLinesOf(() => logger.error(new Error('relay stopped')));
      expect(line).to.include({ level: 'error', message: 'relay stopped' });
      expect(line?.stack).to.be.a('string').and.include('Error: relay stopped');
    });

    it('when lines are logged, then info and above are written and debug is not', async () => {
      const logger = (await freshLoggerModule()).getDefaultSignalLogger();
      const lines = stdoutLinesOf(() => {
        logger.warn('slow relay');
        logger.info('started');
        logger.debug('details');
      });
      expect(lines.map((line) => line.message)).to.deep.equal(['slow relay', 'started']);
    });

    it('when a backend has no logger of its own, then its receiver failures go to the default logger', async () => {
      const error = sinon.stub(getDefaultSignalLogger(), 'error');
      setBackend(new InProcessBackend());
      const signal = new Signal<number>('invoice.paid');
      signal.connect(function sendReceipt() {
        throw new TypeError('card declined');
      });
      await signal.send(1);
      expect(error.calledOnce).to.be.true;
      expect(error.firstCall.args[0]).to.equal("Receiver sendReceipt of signal 'invoice.paid' failed: card declined");
    });
  });

  describe('logReceiverFailure()', () => {
    it('when a broker adds fields of its own, then they are on the line next to the failure', () => {
      const { logger, entries } = createMemoryLogger();
      logReceiverFailure(logger, 'invoice.paid', 'sendReceipt', new Error('SMTP down'), { attempt: 3, messageId: 'm-1' });
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({
        level: 'error',
        message: "Receiver sendReceipt of signal 'invoice.paid' failed: SMTP down",
        signal: 'invoice.paid',
        receiver: 'sendReceipt',
        errorName: 'Error',
        errorMessage: 'SMTP down',
        attempt: 3,
        messageId: 'm-1',
      });
    });

    it('when the logger throws, then the failure is not turned into an exception', () => {
      const broken = { error: sinon.stub().throws(new Error('disk full')), warn: sinon.stub(), info: sinon.stub() };
      expect(() => logReceiverFailure(broken, 'invoice.paid', 'sendReceipt', new Error('SMTP down'))).not.to.throw();
      expect(broken.error.calledOnce).to.be.true;
    });
  });
});
