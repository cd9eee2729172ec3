import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { expect } from 'chai';
import { InProcessBackend, Signal, SignalTransaction, withBackend } from '../../src/signals/index.js';
import { injectTraceContext } from '../../src/signals/tracing.js';
import { createMemoryLogger } from '../support/memory-logger.js';
import { useSpanRecorder } from '../support/span-recorder.js';

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe('Traces of the in-process backend', () => {
  const recorder = useSpanRecorder();
  let placed: Signal<{ id: number }>;

  beforeEach(() => {
    placed = new Signal<{ id: number }>('order.placed');
  });

  const inBackend = <R>(body: () => Promise<R>, options: { receiverTimeoutMs?: number } = {}): Promise<R> =>
    withBackend(new InProcessBackend({ logger: createMemoryLogger().logger, ...options }), body);

  it('when a signal is sent to two receivers, then there is a send span and a process span per receiver, each a child of it', async () => {
    await inBackend(async () => {
      placed.connect(function sendConfirmation() {});
      placed.connect(async function recordAudit() {});
      await placed.send({ id: 1 });
    });

    const [send, ...others] = recorder.named('send order.placed');
    expect(others).to.deep.equal([]);
    expect(send?.kind).to.equal(SpanKind.PRODUCER);
    expect(send?.attributes).to.deep.equal({
      'messaging.system': 'memory',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': 'order.placed',
    });
    const processed = recorder.named('process order.placed');
    expect(processed.map((span) => span.attributes['signal.receiver'])).to.deep.equal(['sendConfirmation', 'recordAudit']);
    for (const span of processed) {
      expect(span.kind).to.equal(SpanKind.CONSUMER);
      expect(parentOf(span)).to.equal(send?.spanContext().spanId);
      expect(span.spanContext().traceId).to.equal(send?.spanContext().traceId);
      expect(span.attributes).to.include({
        'messaging.system': 'memory',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'order.placed',
        'messaging.consumer.group.name': span.attributes['signal.receiver'],
      });
      expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    }
  });

  it('when a receiver throws, then its process span has ERROR status and the exception, and the next receiver still has its span', async () => {
    await inBackend(async () => {
      placed.connect(function chargeCard() {
        throw new TypeError('card declined');
      });
      placed.connect(function recordAudit() {});
      await placed.send({ id: 1 });
    });

    const [failed, next] = recorder.named('process order.placed');
    expect(failed?.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'card declined' });
    expect(failed?.attributes['error.type']).to.equal('TypeError');
    expect(failed?.events.map((event) => event.name)).to.deep.equal(['exception']);
    expect(next?.attributes['signal.receiver']).to.equal('recordAudit');
    expect(next?.status.code).to.equal(SpanStatusCode.UNSET);
  });

  it('when a receiver times out, then its process span has ERROR status', async () => {
    await inBackend(
      async () => {
        placed.connect(function hangs() {
          return new Promise(() => undefined);
        });
        await placed.send({ id: 1 });
      },
      { receiverTimeoutMs: 20 },
    );

    const [span] = recorder.named('process order.placed');
    expect(span?.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).to.equal('ReceiverTimeoutError');
  });

  it('when a receiver sends another signal, then that send span is a child of the receiver process span', async () => {
    const shipped = new Signal<{ id: number }>('order.shipped');
    await inBackend(async () => {
      placed.connect(async function shipAtOnce({ id }) {
        await shipped.send({ id });
      });
      shipped.connect(function notify() {});
      await placed.send({ id: 1 });
    });

    const [processPlaced] = recorder.named('process order.placed');
    const [sendShipped] = recorder.named('send order.shipped');
    const [processShipped] = recorder.named('process order.shipped');
    expect(parentOf(sendShipped as ReadableSpan)).to.equal(processPlaced?.spanContext().spanId);
    expect(parentOf(processShipped as ReadableSpan)).to.equal(sendShipped?.spanContext().spanId);
    expect(new Set(recorder.spans().map((span) => span.spanContext().traceId)).size).to.equal(1);
  });

  it('when the send happens inside an active span (a request), then the send span is its child', async () => {
    const tracer = trace.getTracer('test');
    await inBackend(async () => {
      placed.connect(function recordAudit() {});
      await tracer.startActiveSpan('POST /orders', async (request) => {
        await placed.send({ id: 1 });
        request.end();
      });
    });

    const [request] = recorder.named('POST /orders');
    const [send] = recorder.named('send order.placed');
    expect(parentOf(send as ReadableSpan)).to.equal(request?.spanContext().spanId);
  });

  it('when a send inside a transaction rolls back, then there is no span; when one commits, then there are both', async () => {
    await inBackend(async () => {
      placed.connect(function recordAudit() {});
      const rolledBack = new SignalTransaction('trx');
      await rolledBack.run(() => placed.send({ id: 1 }));
      rolledBack.rolledBack();
      expect(recorder.spans()).to.deep.equal([]);

      const committed = new SignalTransaction('trx');
      await committed.run(() => placed.send({ id: 2 }));
      await committed.committed();
    });

    expect(recorder.spans().map((span) => span.name)).to.deep.equal(['process order.placed', 'send order.placed']);
  });

  it('when a signal has no receiver, then its send still makes a span', async () => {
    await inBackend(() => placed.send({ id: 1 }));
    expect(recorder.spans().map((span) => span.name)).to.deep.equal(['send order.placed']);
  });
  it('when the active context carries baggage, then a message carries only the trace context, not the baggage', () => {
    const span = trace.getTracer('test').startSpan('POST /users');
    const withBaggage = propagation.setBaggage(trace.setSpan(context.active(), span), propagation.createBaggage({ tenant: { value: 'acme' } }));
    const carrier = context.with(withBaggage, () => injectTraceContext(span));
    span.end();
    expect(Object.keys(carrier ?? {})).to.deep.equal(['traceparent']);
  });
});

describe('Traces without an SDK', () => {
  it('when no SDK is registered, then a send delivers as before and no span records', async () => {
    const placed = new Signal<{ id: number }>('order.placed');
    const seen: number[] = [];
    await withBackend(new InProcessBackend(), async () => {
      placed.connect(({ id }) => void seen.push(id));
      expect(await placed.send({ id: 1 })).to.deep.equal([]);
    });
    expect(seen).to.deep.equal([1]);
    expect(trace.getActiveSpan()).to.equal(undefined);
  });

});
