export { BrokerBackend, type PublishedMessage } from './broker-backend.js';
export { RedisStreamsBackend, type RedisStreamsBackendOptions } from './redis-streams-backend.js';
export type { RedisConsumerTiming } from './redis-stream-consumer.js';
export type { BrokerBackendOptions, RunInContext } from './broker-options.js';
export type { EnvelopeContext, SignalEnvelope } from './envelope.js';
export type { DeadLetter } from './receiver-invoker.js';
export { PublishError, ReceiverNamingError, UnportablePayloadError } from './errors.js';
export { RabbitMQBackend, type RabbitMQBackendOptions } from './rabbitmq-backend.js';
export type { RabbitQueueType } from './rabbitmq-topology.js';
