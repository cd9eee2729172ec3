import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { formatDeadLetters, parseDeadLetterCommand, runDeadLetterCommand, UsageError } from '../src/dead-letter-commands.js';
import type { DeadLetterEntry } from '../src/signals/brokers/index.js';
import { InProcessBackend, Signal } from '../src/signals/index.js';
import { useBrokerFixture } from './signals/brokers/support/broker-fixture.js';
import { redisBroker } from './signals/brokers/support/brokers.js';
import { REDIS_URL } from './signals/brokers/support/services.js';
import { waitFor } from './signals/brokers/support/waiting.js';

const run = promisify(execFile);

describe('npm run signals -- dead-letters', () => {
  describe('parseDeadLetterCommand()', () => {
    it('when list is given filters, then they become the filter and the limit defaults to 20', () => {
      expect(parseDeadLetterCommand(['list', '--receiver', 'sendWelcomeEmail', '--error', 'smtp', '--id', 'a', '--id', 'b'])).to.deep.equal({
        action: 'list',
        filter: { receiver: 'sendWelcomeEmail', error: 'smtp', ids: ['a', 'b'] },
        limit: 20,
        json: false,
      });
    });

    it('when replay or purge has no filter, then it is refused unless --all says every dead letter', () => {
      expect(() => parseDeadLetterCommand(['purge'])).to.throw(UsageError, 'purge needs a filter, or --all');
      expect(() => parseDeadLetterCommand(['replay'])).to.throw(UsageError, 'replay needs a filter');
      expect(parseDeadLetterCommand(['purge', '--all']).filter).to.deep.equal({});
      expect(parseDeadLetterCommand(['replay', '--message-id', 'm-1']).filter).to.deep.equal({ messageId: 'm-1' });
    });

    it('when a filter is given an empty value, then it is refused: an empty text would match every dead letter', () => {
      expect(() => parseDeadLetterCommand(['purge', '--error', ''])).to.throw(UsageError, '--error needs a value');
      expect(() => parseDeadLetterCommand(['replay', '--receiver', ' '])).to.throw(UsageError, '--receiver needs a value');
      expect(() => parseDeadLetterCommand(['list', '--id', 'a', '--id', ''])).to.throw(UsageError, '--id needs a value');
    });

    it('when the action, an option or the limit is wrong, then a UsageError says which', () => {
      expect(() => parseDeadLetterCommand(['show'])).to.throw(UsageError, "Unknown action 'show'");
      expect(() => parseDeadLetterCommand([])).to.throw(UsageError, "Unknown action ''");
      expect(() => parseDeadLetterCommand(['list', '--colour'])).to.throw(UsageError, "'--colour'");
      expect(() => parseDeadLetterCommand(['list', '--limit', '0'])).to.throw(UsageError, '--limit must be a whole number from 1');
      expect(() => parseDeadLetterCommand(['list', 'extra'])).to.throw(UsageError, "Unexpected argument 'extra'");
    });
  });

  describe('runDeadLetterCommand()', () => {
    it('when the backend is in-process, then it says dead letters need a broker backend', async () => {
      const command = parseDeadLetterCommand(['list']);
      let thrown: unknown;
      await runDeadLetterCommand(new InProcessBackend(), command).catch((error: unknown) => (thrown = error));
      expect(thrown).to.be.instanceOf(UsageError);
      expect((thrown as Error).message).to.contain('SIGNALS_BACKEND=redis or rabbitmq');
    });
  });

  describe('formatDeadLetters()', () => {
    const letter: DeadLetterEntry = {
      id: '1700000000000-0',
      signal: 'user.created',
      receiver: 'sendWelcomeEmail',
      messageId: 'm-1',
      attempts: 5,
      error: { name: 'Error', message: 'SMTP timeout' },
      deadLetteredAt: '2026-11-30T10:00:00.000Z',
      envelope: { id: 'm-1', signal: 'user.created', payload: { id: 1 }, occurredAt: '2026-11-30T09:59:00.000Z', attempt: 5, context: {} },
    };

    it('when there are dead letters, then each shows its id, time, receiver, attempts, error and payload', () => {
      expect(formatDeadLetters([letter], 3).split('\n')).to.deep.equal([
        '1700000000000-0  2026-11-30T10:00:00.000Z',
        '  user.created -> sendWelcomeEmail, 5 attempts, message m-1',
        '  Error: SMTP timeout',
        '  payload {"id":1}',
        '',
        '1 shown of 3 dead letters',
      ]);
    });

    it('when none match, then it says so, and when there are none, that too', () => {
      expect(formatDeadLetters([], 3)).to.equal('None of the 3 dead letters match');
      expect(formatDeadLetters([], 0)).to.equal('No dead letters');
    });
  });

  describe('on Redis, run as a command', function () {
    this.timeout(60_000);
    const fixture = useBrokerFixture(redisBroker);

    async function signals(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
      const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', SIGNALS_BACKEND: 'redis', REDIS_URL, SIGNALS_PREFIX: fixture.prefix };
      try {
        const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/signals-cli.ts', 'dead-letters', ...args], { env });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const failed = error as { stdout: string; stderr: string; code: number };
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
      }
    }

    it('when a receiver of the app dead-lettered a message, then list shows it, replay sends it back and purge empties the rest', async () => {
      const worker = fixture.backend({ consume: true, maxAttempts: 1 });
      const userCreated = new Signal<{ id: number }>('user.created');
      let mails = 0;
      let broken = true;
      worker.connect(userCreated, function sendWelcomeEmail() {
        if (broken) throw new Error('SMTP timeout');
        mails++;
      });
      await worker.whenConsuming();
      await worker.send(userCreated, { id: 1 });
      await worker.send(userCreated, { id: 2 });
      await waitFor('two dead letters', async () => (await worker.deadLetterCount()) === 2);

      const listed = await signals('list', '--receiver', 'sendWelcomeEmail');
      expect(listed.code).to.equal(0);
      expect(listed.stdout).to.contain('user.created -> sendWelcomeEmail, 1 attempt').and.to.contain('Error: SMTP timeout').and.to.contain('2 shown of 2 dead letters');

      broken = false;
      const [newest] = await worker.listDeadLetters({ limit: 1 });
      const replayed = await signals('replay', '--id', newest!.id);
      expect(replayed.stdout.trim()).to.equal('Replayed 1 dead letter');
      await waitFor('the replayed mail', () => mails === 1);

      expect(await signals('purge')).to.include({ code: 2 });
      expect((await signals('purge', '--all', '--json')).stdout.trim()).to.equal('{"deleted":1}');
      expect(JSON.parse((await signals('list', '--json')).stdout)).to.deep.equal([]);
    });

    it('when the wiring report is given an unknown option, then it exits 2 with the reason and the usage', async () => {
      const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', SIGNALS_BACKEND: 'memory' };
      const result = await run(process.execPath, ['--import', 'tsx', 'src/signals-cli.ts', '--bogus'], { env }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain("Unknown option '--bogus'").and.to.contain('Usage: npm run signals');
    });

    it('when the command is wrong, then it exits 2 with the reason and the usage on stderr', async () => {
      const result = await signals('replay');
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain('replay needs a filter, or --all for every dead letter').and.to.contain('Usage: npm run signals');
      expect(result.stdout).to.equal('');
    });
  });
});
