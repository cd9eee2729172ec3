import { rabbitBroker } from './support/brokers.js';
import { describeReliability } from './support/reliability-suite.js';

describe('RabbitMQBackend', function () {
  this.timeout(20_000);
  describeReliability(rabbitBroker);
});
