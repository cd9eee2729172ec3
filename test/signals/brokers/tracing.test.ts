import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { expect } from 'chai';
import type { DatabaseConnection } from '../../../src/db/connection.js';
import { inTransaction } from '../../../src/db/transaction.js';
import { withBackend } from '../../../src/signals/index.js';
import { KyselyOutboxStore } from '../../../src/signals/outbox/index.js';
import { openMemoryDatabase } from '../../support/database.js';
import { useSpanRecorder } from '../../support/span-recorder.js';
import { SIGNAL, useBrokerFixture } from './support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from './support/brokers.js';
import { waitFor } from './support/waiting.js';

for (const broker of [redisBroker, rabbitBroker]) describeTraces(broker);

function describeTraces(broker: TestBroker): void {
  describe(`Traces across ${broker.name}`, function () {
    this.timeout(20_000);
    const fixture = useBrokerFixture(broker);
    const recorder = useSpanRecorder();
    const request = (body: () => Promise<unknown>): Promise<unknown> =>
      trace.getTracer('test').startActiveSpan('POST /users', async (span) => {
        await body();
        span.end();
      });

    /** A consuming backend whose `sendWelcomeEmail` fails the first `failures` deliveries. */
    async function consume(failures = 0): Promise<void> {
      const consumer = fixture.backend({ consume: true });
      let runs = 0;
      consumer.connect(fixture.signal, function sendWelcomeEmail() {
        if (++runs <= failures) throw new Error(`mail server down (${runs})`);
      });
      await consumer.whenConsuming();
    }
    const processSpans = async (count: number): Promise<ReadableSpan[]> => {
      await waitFor(`${count} process spans`, () => recorder.named(`process ${SIGNAL}`).length >= count, 10_000);
      return recorder.named(`process ${SIGNAL}`);
    };
    const traceId = (span: ReadableSpan | undefined): string | undefined => span?.spanContext().traceId;

    it('when a message is sent and consumed, then its process span is a child of the send span, linked to it, in the same trace', async () => {
      await consume();
      const sender = fixture.backend();
      await request(() => sender.send(fixture.signal, { n: 1 }));

      const [processed] = await processSpans(1);
      const [send] = recorder.named(`send ${SIGNAL}`);
      const [http] = recorder.named('POST /users');
      expect(send?.kind).to.equal(SpanKind.PRODUCER);
      expect(send?.parentSpanContext?.spanId).to.equal(http?.spanContext().spanId);
      expect(send?.attributes).to.include({ 'messaging.system': broker.name, 'messaging.destination.name': SIGNAL });
      expect(processed?.kind).to.equal(SpanKind.CONSUMER);
      expect(traceId(processed)).to.equal(traceId(http));
      expect(processed?.parentSpanContext?.spanId).to.equal(send?.spanContext().spanId);
      expect(processed?.links.map((link) => link.context.spanId)).to.deep.equal([send?.spanContext().spanId]);
      expect(processed?.attributes).to.deep.equal({
        'messaging.system': broker.name,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': SIGNAL,
        'messaging.consumer.group.name': 'sendWelcomeEmail',
        'signal.receiver': 'sendWelcomeEmail',
        'messaging.message.id': send?.attributes['messaging.message.id'],
        'signal.attempt': 1,
      });
    });

    it('when a receiver fails once, then both attempts are process spans of the same trace, the first with ERROR status', async () => {
      await consume(1);
      const sender = fixture.backend();
      await request(() => sender.send(fixture.signal, { n: 1 }));

      const [failed, retried] = await processSpans(2);
      const [send] = recorder.named(`send ${SIGNAL}`);
      expect([failed, retried].map((span) => span?.attributes['signal.attempt'])).to.deep.equal([1, 2]);
      expect(failed?.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'mail server down (1)' });
      expect(retried?.status.code).to.equal(SpanStatusCode.UNSET);
      for (const span of [failed, retried]) {
        expect(traceId(span)).to.equal(traceId(send));
        expect(span?.parentSpanContext?.spanId).to.equal(send?.spanContext().spanId);
      }
    });

    describe('through the outbox', () => {
      let database: DatabaseConnection;
      beforeEach(async () => {
        database = await openMemoryDatabase();
      });
      afterEach(() => database.db.destroy());

      it('when a signal is sent in a transaction, then the send span is made at the write, and the process span shares its trace', async () => {
        await consume();
        const store = new KyselyOutboxStore({ db: database.db, dialect: database.dialect });
        const sender = fixture.backend({ outbox: { store, pollIntervalMs: 100 } });
        await request(() => withBackend(sender, () => inTransaction(database.db, () => fixture.signal.send({ n: 1 }))));

        const [processed] = await processSpans(1);
        const [send] = recorder.named(`send ${SIGNAL}`);
        const [http] = recorder.named('POST /users');
        expect(send?.parentSpanContext?.spanId).to.equal(http?.spanContext().spanId);
        expect(traceId(processed)).to.equal(traceId(http));
        expect(processed?.parentSpanContext?.spanId).to.equal(send?.spanContext().spanId);
        expect(processed?.attributes['messaging.message.id']).to.equal(send?.attributes['messaging.message.id']);
      });
    });
  });
}
