import { expect } from 'chai';
import { Connection } from 'rabbitmq-client';
import { createClient } from 'redis';
import type { BrokerBackend } from '../../../src/signals/brokers/index.js';
import type { ReceiverContext } from '../../../src/signals/index.js';
import { useBrokerFixture, type Payload } from './support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from './support/brokers.js';
import { AMQP_URL, REDIS_URL } from './support/services.js';
import { delay, waitFor } from './support/waiting.js';

/** Puts a message that is not a signal envelope where the signal's messages go. */
async function sendGarbage(broker: TestBroker, prefix: string, signalName: string): Promise<void> {
  if (broker.name === 'redis') {
    const redis = await createClient({ url: REDIS_URL }).connect();
    await redis.xAdd(`${prefix}stream:${signalName}`, '*', { garbage: 'yes' });
    await redis.close();
    return;
  }
  const rabbit = new Connection(AMQP_URL);
  const channel = await rabbit.acquire();
  await channel.basicPublish({ exchange: `${prefix}signals`, routingKey: signalName }, Buffer.from('not json at all'));
  await channel.close();
  await rabbit.close();
}

for (const broker of [redisBroker, rabbitBroker] as TestBroker[]) {
  describe(`${broker.name}: dead letters (list, replay, delete)`, function () {
    this.timeout(30_000);
    const fixture = useBrokerFixture(broker);

    /** A worker whose `sendWelcomeEmail` fails while `broken` is true, and a healthy `recordAudit`. */
    async function worker(): Promise<{ backend: BrokerBackend; mails: { n: number; messageId?: string; attempt?: number }[]; audits: number[]; heal: () => void }> {
      const backend = fixture.backend({ consume: true, maxAttempts: 2 });
      const mails: { n: number; messageId?: string; attempt?: number }[] = [];
      const audits: number[] = [];
      let broken = true;
      backend.connect(fixture.signal, function sendWelcomeEmail(payload: Payload, context: ReceiverContext<Payload>) {
        if (broken) throw new Error(`SMTP timeout for ${payload.n}`);
        mails.push({ n: payload.n, messageId: context.messageId, attempt: context.attempt });
      });
      backend.connect(fixture.signal, function recordAudit(payload: Payload) {
        audits.push(payload.n);
      });
      await backend.whenConsuming();
      return { backend, mails, audits, heal: () => (broken = false) };
    }

    async function deadLettered(backend: BrokerBackend, count: number): Promise<void> {
      await waitFor(`${count} dead letters`, async () => (await backend.deadLetterCount()) === count, 10_000);
    }

    it('when a receiver fails its last attempt, then the dead letter lists its receiver, attempts, error and payload', async () => {
      const { backend } = await worker();
      await backend.send(fixture.signal, { n: 7 });
      await deadLettered(backend, 1);

      const [letter, ...others] = await backend.listDeadLetters();
      expect(others).to.deep.equal([]);
      expect(letter).to.include({ signal: fixture.signal.name, receiver: 'sendWelcomeEmail', attempts: 2 });
      expect(letter?.error.message).to.equal('SMTP timeout for 7');
      expect(letter?.envelope?.payload).to.deep.equal({ n: 7 });
      expect(letter?.messageId).to.equal(letter?.envelope?.id);
      expect(Date.parse(letter?.deadLetteredAt ?? '')).to.be.closeTo(Date.now(), 60_000);
    });

    it('when dead letters are listed with a filter, then only the matching ones come back, newest first, up to the limit', async () => {
      const { backend } = await worker();
      for (const n of [1, 2, 3]) await backend.send(fixture.signal, { n });
      await deadLettered(backend, 3);

      expect(await backend.listDeadLetters({ receiver: 'recordAudit' })).to.deep.equal([]);
      expect((await backend.listDeadLetters({ error: 'smtp TIMEOUT for 2' })).map((letter) => letter.envelope?.payload)).to.deep.equal([{ n: 2 }]);
      const newest = await backend.listDeadLetters({ signal: fixture.signal.name, limit: 2 });
      expect(newest).to.have.length(2);
      expect(String(newest[0]?.deadLetteredAt) >= String(newest[1]?.deadLetteredAt)).to.equal(true);
      expect(await backend.deadLetterCount()).to.equal(3);
    });

    it('when a dead letter is replayed to a healed receiver, then only that receiver runs it again, with the same message id, and it leaves the dead letters', async () => {
      const { backend, mails, audits, heal: healReceiver } = await worker();
      await backend.send(fixture.signal, { n: 1 });
      await deadLettered(backend, 1);
      const [letter] = await backend.listDeadLetters();
      healReceiver();

      expect(await backend.replayDeadLetters({ ids: [letter!.id] })).to.deep.equal({ replayed: 1, skipped: [] });

      await waitFor('the replayed mail', () => mails.length === 1);
      expect(mails).to.deep.equal([{ n: 1, messageId: letter?.messageId, attempt: 1 }]);
      await delay(300);
      expect(audits).to.deep.equal([1]);
      expect(await backend.deadLetterCount()).to.equal(0);
    });

    it('when the replayed receiver fails again, then the message is dead-lettered again, not lost', async () => {
      const { backend } = await worker();
      await backend.send(fixture.signal, { n: 1 });
      await deadLettered(backend, 1);

      expect((await backend.replayDeadLetters({})).replayed).to.equal(1);
      await waitFor('the new dead letter', async () => (await backend.listDeadLetters()).length === 1, 10_000);
      const [again] = await backend.listDeadLetters();
      expect(again).to.include({ receiver: 'sendWelcomeEmail', attempts: 2 });
    });

    it('when dead letters are deleted with a filter, then only those go', async () => {
      const { backend } = await worker();
      for (const n of [1, 2]) await backend.send(fixture.signal, { n });
      await deadLettered(backend, 2);

      expect(await backend.deleteDeadLetters({ error: 'for 1' })).to.equal(1);
      const left = await backend.listDeadLetters();
      expect(left.map((letter) => letter.envelope?.payload)).to.deep.equal([{ n: 2 }]);
      expect(await backend.deleteDeadLetters({})).to.equal(1);
      expect(await backend.listDeadLetters()).to.deep.equal([]);
    });

    it('when a message that is not an envelope was dead-lettered, then it is listed with its raw text, a replay skips it and delete removes it', async () => {
      const { backend } = await worker();
      await sendGarbage(broker, fixture.prefix, fixture.signal.name);
      // Each receiver dead-letters it: two dead letters.
      await deadLettered(backend, 2);

      const letters = await backend.listDeadLetters({ receiver: 'sendWelcomeEmail' });
      expect(letters).to.have.length(1);
      expect(letters[0]).to.include({ envelope: undefined, messageId: undefined, attempts: 0 });
      expect(letters[0]?.raw).to.match(/garbage|not json/);
      const replay = await backend.replayDeadLetters({ receiver: 'sendWelcomeEmail' });
      expect(replay.replayed).to.equal(0);
      expect(replay.skipped).to.have.length(1);
      expect(replay.skipped[0]?.reason).to.contain('not a signal envelope');
      expect(await backend.deleteDeadLetters({ ids: [letters[0]!.id] })).to.equal(1);
      expect(await backend.deadLetterCount()).to.equal(1);
    });

    it('when two replays of the same dead letters run at once, then each dead letter is delivered once', async () => {
      const { backend, mails, heal } = await worker();
      for (const n of [1, 2, 3]) await backend.send(fixture.signal, { n });
      await deadLettered(backend, 3);
      heal();

      const other = fixture.backend();
      const [first, second] = await Promise.all([backend.replayDeadLetters({}), other.replayDeadLetters({})]);

      expect(first.replayed + second.replayed).to.equal(3);
      await waitFor('three mails', () => mails.length === 3);
      await delay(500);
      expect(mails.map((mail) => mail.n).sort()).to.deep.equal([1, 2, 3]);
      expect(await backend.deadLetterCount()).to.equal(0);
    });

    it('when a message that is not an envelope is dead-lettered last, then it is listed first, with its time', async () => {
      const { backend } = await worker();
      await backend.send(fixture.signal, { n: 1 });
      await deadLettered(backend, 1);
      await delay(20);
      await sendGarbage(broker, fixture.prefix, fixture.signal.name);
      await deadLettered(backend, 3);

      const [newest] = await backend.listDeadLetters({ receiver: 'sendWelcomeEmail' });
      expect(newest?.envelope).to.equal(undefined);
      expect(Date.parse(newest?.deadLetteredAt ?? '')).to.be.closeTo(Date.now(), 60_000);
    });

    it('when there are no dead letters, then list, replay and delete find nothing', async () => {
      const backend = fixture.backend();
      expect(await backend.listDeadLetters()).to.deep.equal([]);
      expect(await backend.replayDeadLetters({})).to.deep.equal({ replayed: 0, skipped: [] });
      expect(await backend.deleteDeadLetters({})).to.equal(0);
    });
  });
}
