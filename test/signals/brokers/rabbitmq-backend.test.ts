import { rabbitBroker } from './support/brokers.js';
import { describeConsuming } from './support/consuming-suite.js';
import { describeSending } from './support/sending-suite.js';

describe('RabbitMQBackend', function () {
  this.timeout(20_000);
  describeSending(rabbitBroker);
  describeConsuming(rabbitBroker);
});
