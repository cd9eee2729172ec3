import { expect } from 'chai';
import { useBrokerFixture } from './support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from './support/brokers.js';
import { waitFor } from './support/waiting.js';

for (const broker of [redisBroker, rabbitBroker] as TestBroker[]) {
  describe(`${broker.name}: backlog() and deadLetterCount()`, function () {
    this.timeout(20_000);
    const fixture = useBrokerFixture(broker);

    it('when no queue or group exists yet, then every receiver has nothing waiting and there are no dead letters', async () => {
      const backend = fixture.backend();
      backend.connect(fixture.signal, function sendWelcomeEmail() {});
      const [entry] = await backend.backlog();
      expect(entry).to.include({ signal: fixture.signal.name, receiver: 'sendWelcomeEmail', waiting: 0 });
      expect(await backend.deadLetterCount()).to.equal(0);
    });

    it('when three messages are sent and no worker runs, then each receiver has three waiting', async () => {
      const backend = fixture.backend();
      backend.connect(fixture.signal, function sendWelcomeEmail() {});
      backend.connect(fixture.signal, function recordAudit() {});
      for (let n = 1; n <= 3; n++) expect(await backend.send(fixture.signal, { n })).to.deep.equal([]);
      const backlog = await backend.backlog();
      expect(backlog.map(({ receiver, waiting }) => ({ receiver, waiting }))).to.deep.equal([
        { receiver: 'sendWelcomeEmail', waiting: 3 },
        { receiver: 'recordAudit', waiting: 3 },
      ]);
      expect(backlog[0]?.source).to.contain('sendWelcomeEmail');
      expect(backend.destinationOf(fixture.signal.name)).to.contain(fixture.signal.name);
    });

    it('when a receiver fails its last attempt, then the dead letters count it', async () => {
      const backend = fixture.backend({ consume: true, maxAttempts: 1 });
      backend.connect(fixture.signal, function sendWelcomeEmail() {
        throw new Error('mail server down');
      });
      await backend.whenConsuming();
      await backend.send(fixture.signal, { n: 1 });
      await waitFor('the dead letter', async () => (await backend.deadLetterCount()) === 1);
      expect(backend.deadLetterDestination).to.contain('dead-letters');
    });
  });
}
