import { expect } from 'chai';
import { Connection, ConsumerStatus } from 'rabbitmq-client';
import type { RabbitMQBackend } from '../../../src/signals/brokers/index.js';
import { useBrokerFixture } from './support/broker-fixture.js';
import { rabbitBroker } from './support/brokers.js';
import { describeConsuming } from './support/consuming-suite.js';
import { describeSending } from './support/sending-suite.js';
import { AMQP_URL } from './support/services.js';
import { waitFor } from './support/waiting.js';

describe('RabbitMQBackend', function () {
  this.timeout(20_000);
  describeSending(rabbitBroker);
  describeConsuming(rabbitBroker);

  describe('the delivery limit', () => {
    const fixture = useBrokerFixture(rabbitBroker);

    it('when a message is redelivered past the limit (it keeps killing its worker), then the broker dead-letters it rather than dropping it', async () => {
      const sender = fixture.backend({ maxAttempts: 3 }) as RabbitMQBackend;
      sender.connect(fixture.signal, function sendWelcomeEmail() {});
      expect(await sender.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      // A consumer that never settles the message, as a worker that dies on it would not: it comes back each time.
      const rabbit = new Connection(AMQP_URL);
      let deliveries = 0;
      const queue = sender.topology.queue(fixture.signal.name, 'sendWelcomeEmail');
      const crashing = rabbit.createConsumer({ queue, queueOptions: { queue, passive: true } }, () => {
        deliveries += 1;
        return ConsumerStatus.REQUEUE;
      });
      try {
        const deadLetterCount = () =>
          rabbit.queueDeclare({ queue: sender.topology.deadLetterQueue, passive: true }).then((queue) => queue.messageCount);
        await waitFor('the dead letter', async () => (await deadLetterCount()) === 1, 10_000);
        expect(deliveries).to.be.within(3, 4);
      } finally {
        await crashing.close();
        await rabbit.close();
      }
    });
  });
});
