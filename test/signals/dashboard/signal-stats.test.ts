import { expect } from 'chai';
import { SignalStats } from '../../../src/signals/dashboard/index.js';
import { Signal, type ReceiverOutcome, type ReceiverSettledEvent } from '../../../src/signals/index.js';

const userCreated = new Signal<{ id: number }>('user.created');

function settled(receiverName: string, durationMs: number, error?: Error, outcome: ReceiverOutcome = error === undefined ? 'success' : 'failure'): ReceiverSettledEvent {
  return { signal: userCreated, receiver: () => undefined, receiverName, durationMs, error, outcome, messageId: 'm-1' };
}

describe('SignalStats', () => {
  it('when sends happen, then each signal has its rate over the last minute, its total and its refusals', () => {
    let now = 1_000_000;
    const stats = new SignalStats(() => now);
    for (let i = 0; i < 30; i++) stats.onSent({ signalName: 'user.created', messageId: undefined, error: undefined });
    stats.onSent({ signalName: 'user.created', messageId: undefined, error: new Error('broker down') });
    expect(stats.snapshot().sent['user.created']).to.deep.equal({ perSecond: 0.5, total: 30, refused: 1 });

    now += 61_000;
    expect(stats.snapshot().sent['user.created']).to.deep.equal({ perSecond: 0, total: 30, refused: 1 });
  });

  it('when a receiver runs, then its p50 and p95 come from the durations of its last runs', () => {
    const stats = new SignalStats(() => 0);
    for (let ms = 1; ms <= 100; ms++) stats.onReceiverSettled(settled('sendWelcomeEmail', ms));
    const [receiver] = stats.snapshot().receivers;
    expect(receiver).to.include({ signal: 'user.created', receiver: 'sendWelcomeEmail', p50Ms: 50, p95Ms: 95, runs: 100, failures: 0 });
  });

  it('when more runs than the samples kept happen, then the percentiles describe the latest ones', () => {
    const stats = new SignalStats(() => 0);
    for (let i = 0; i < 600; i++) stats.onReceiverSettled(settled('audit', 1000));
    for (let i = 0; i < 512; i++) stats.onReceiverSettled(settled('audit', 2));
    expect(stats.snapshot().receivers[0]).to.include({ p50Ms: 2, p95Ms: 2, runs: 1112 });
  });

  it('when a receiver fails with the same error twice, then the failures group them, the latest first', () => {
    let now = Date.parse('2026-11-30T10:00:00Z');
    const stats = new SignalStats(() => now);
    stats.onReceiverSettled(settled('sendWelcomeEmail', 3, new Error('SMTP timeout'), 'retry'));
    now += 1000;
    stats.onReceiverSettled(settled('audit', 3, new TypeError('bad row')));
    now += 1000;
    stats.onReceiverSettled(settled('sendWelcomeEmail', 3, new Error('SMTP timeout'), 'dead-lettered'));

    const { failures, receivers } = stats.snapshot();
    expect(failures).to.deep.equal([
      { signal: 'user.created', receiver: 'sendWelcomeEmail', error: 'Error: SMTP timeout', count: 2, lastAt: '2026-11-30T10:00:02.000Z', lastMessageId: 'm-1', lastOutcome: 'dead-lettered' },
      { signal: 'user.created', receiver: 'audit', error: 'TypeError: bad row', count: 1, lastAt: '2026-11-30T10:00:01.000Z', lastMessageId: 'm-1', lastOutcome: 'failure' },
    ]);
    expect(receivers.find((entry) => entry.receiver === 'sendWelcomeEmail')).to.include({ runs: 2, failures: 2 });
  });

  it('when more distinct errors happen than it keeps, then the least recently seen go first', () => {
    const stats = new SignalStats(() => 0);
    for (let i = 0; i < 60; i++) stats.onReceiverSettled(settled('audit', 1, new Error(`error ${i}`)));
    const { failures } = stats.snapshot();
    expect(failures).to.have.length(50);
    expect(failures[0]?.error).to.equal('Error: error 59');
    expect(failures.at(-1)?.error).to.equal('Error: error 10');
  });

  it('when nothing ran, then a receiver has no percentiles and there are no failures', () => {
    expect(new SignalStats().snapshot()).to.deep.equal({ windowSeconds: 60, sent: {}, receivers: [], failures: [] });
  });
});
