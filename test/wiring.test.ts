import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { appSignals } from '../src/services/signals.js';
import { getBackend } from '../src/signals/index.js';
import { formatWiring, readWiring, type WiringReport } from '../src/wiring.js';
import { useTestApp } from './support/test-app.js';

describe('the wiring', () => {
  describe('readWiring() on the memory backend', () => {
    const t = useTestApp();

    it('when the app is built, then each signal lists its receivers in connection order', async () => {
      t(); // the app is built and its listeners connected
      const report = await readWiring(getBackend(), appSignals, 'memory');
      const userCreated = report.signals.find((signal) => signal.signal === 'user.created');
      expect(userCreated).to.deep.equal({ signal: 'user.created', receivers: [{ name: 'sendWelcomeEmail' }, { name: 'auditUserCreated' }] });
      expect(report.signals.map((signal) => signal.signal)).to.include.members(['order.placed', 'order.shipped', 'order.canceled']);
      expect(report.deadLetters).to.equal(undefined);
    });
  });

  describe('formatWiring()', () => {
    it('when a broker reports backlogs, then each receiver line shows its number, name, counts and source', () => {
      const report: WiringReport = {
        backend: 'redis at 127.0.0.1:6379, prefix signals:',
        signals: [
          {
            signal: 'user.created',
            destination: 'stream signals:stream:user.created',
            receivers: [
              { name: 'sendWelcomeEmail', source: 'group sendWelcomeEmail', waiting: 2, inProgress: 1 },
              { name: 'audit', source: 'group audit', waiting: undefined, inProgress: 0 },
            ],
          },
          { signal: 'user.deleted', destination: 'stream signals:stream:user.deleted', receivers: [] },
        ],
        deadLetters: { destination: 'stream signals:dead-letters', count: 4 },
      };
      expect(formatWiring(report).split('\n')).to.deep.equal([
        'Signals on redis at 127.0.0.1:6379, prefix signals:',
        '',
        'user.created -> stream signals:stream:user.created',
        '  1. sendWelcomeEmail  waiting 2, in progress 1  (group sendWelcomeEmail)',
        '  2. audit             waiting ?, in progress 0  (group audit)',
        'user.deleted -> stream signals:stream:user.deleted',
        '  (no receivers)',
        '',
        'Dead letters: 4 in stream signals:dead-letters',
      ]);
    });
  });

  describe('npm run signals', function () {
    this.timeout(30_000);

    it('when run with --json on the memory backend, then it prints the report and exits 0', async () => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/signals-cli.ts', '--json'], {
        env: { ...process.env, DATABASE_URL: 'sqlite::memory:', SIGNALS_BACKEND: 'memory', NODE_ENV: 'test' },
      });
      const report = JSON.parse(stdout) as WiringReport;
      expect(report.backend).to.equal('memory (receivers run in this process)');
      expect(report.signals.find((signal) => signal.signal === 'order.placed')?.receivers.map((receiver) => receiver.name)).to.deep.equal([
        'sendOrderConfirmation',
        'auditOrderPlaced',
      ]);
    });
  });
});
