import { context, propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { expect } from 'chai';
import {
  endSpan,
  extractTraceContext,
  injectTraceContext,
  inSpan,
  isTracing,
  setMessageId,
  startProcessSpan,
  startSendSpan,
  TRACER_NAME,
} from '../../src/signals/tracing.js';
import { useSpanRecorder } from '../support/span-recorder.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

describe('the trace context of a message (src/signals/tracing.ts)', () => {
  describe('with an SDK', () => {
    const recorder = useSpanRecorder();

    it('when an SDK is registered, then isTracing() says so and spans are made under the express-signals scope', () => {
      expect(isTracing()).to.equal(true);
      endSpan(startSendSpan('user.created', 'redis'));
      const [span] = recorder.spans();
      expect(span?.instrumentationScope.name).to.equal(TRACER_NAME).and.to.equal('express-signals');
      expect(span?.kind).to.equal(SpanKind.PRODUCER);
      expect(span?.attributes).to.deep.equal({
        'messaging.system': 'redis',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': 'user.created',
      });
    });

    it('when a send span is given its message id, then it carries messaging.message.id', () => {
      const span = startSendSpan('user.created', 'rabbitmq');
      setMessageId(span, 'm-1');
      endSpan(span);
      expect(recorder.spans()[0]?.attributes['messaging.message.id']).to.equal('m-1');
    });

    it('when a process span has a message id and an attempt, then it carries both; without them, neither', () => {
      endSpan(startProcessSpan({ system: 'redis', signalName: 'user.created', receiverName: 'sendWelcomeEmail', messageId: 'm-1', attempt: 2 }, ROOT_CONTEXT));
      endSpan(startProcessSpan({ system: 'memory', signalName: 'user.created', receiverName: 'audit' }, ROOT_CONTEXT));
      const [broker, memory] = recorder.spans();
      expect(broker?.attributes).to.deep.equal({
        'messaging.system': 'redis',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'user.created',
        'messaging.consumer.group.name': 'sendWelcomeEmail',
        'signal.receiver': 'sendWelcomeEmail',
        'messaging.message.id': 'm-1',
        'signal.attempt': 2,
      });
      expect(memory?.attributes).not.to.have.any.keys('messaging.message.id', 'signal.attempt');
    });

    it('when a span is injected and extracted, then the parent and the link are that span', () => {
      const span = startSendSpan('user.created', 'redis');
      const carrier = injectTraceContext(span);
      endSpan(span);
      expect(carrier).to.have.all.keys('traceparent');

      const { parent, links } = extractTraceContext(carrier);
      expect(trace.getSpanContext(parent)?.spanId).to.equal(span.spanContext().spanId);
      expect(links?.map((link) => link.context.spanId)).to.deep.equal([span.spanContext().spanId]);
    });

    it('when a message carries no trace, or a malformed one, then the process span starts a trace of its own, with no link', () => {
      const none = extractTraceContext(undefined);
      expect(none.parent).to.equal(ROOT_CONTEXT);
      expect(none.links).to.equal(undefined);
      const malformed = extractTraceContext({ traceparent: 'not-a-traceparent' });
      expect(trace.getSpanContext(malformed.parent)).to.equal(undefined);
      expect(malformed.links).to.equal(undefined);
    });

    it('when no propagator is registered, then a valid span injects nothing: the message carries no trace', () => {
      const span = startSendSpan('user.created', 'redis');
      propagation.disable();
      expect(injectTraceContext(span)).to.equal(undefined);
      endSpan(span);
    });

    it('when a span is not valid (no trace), then nothing is injected', () => {
      expect(injectTraceContext(trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: TraceFlags.NONE }))).to.equal(undefined);
    });

    it('when the caller did not sample its trace, then a run still happens in that trace context, so what it sends stays in the trace', async () => {
      const unsampled = trace.wrapSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE, isRemote: true });
      let seen: string | undefined;
      await inSpan(unsampled, ROOT_CONTEXT, () => {
        seen = trace.getSpanContext(context.active())?.traceId;
        return Promise.resolve(undefined);
      });
      expect(seen).to.equal(TRACE_ID);
    });

    it('when a run resolves to an error, then its span has ERROR status, error.type and the exception', async () => {
      const span = startProcessSpan({ system: 'memory', signalName: 'user.created', receiverName: 'audit' }, ROOT_CONTEXT);
      await inSpan(span, ROOT_CONTEXT, () => Promise.resolve(new TypeError('bad row')));
      const [ended] = recorder.spans();
      expect(ended?.status).to.deep.equal({ code: 2, message: 'bad row' });
      expect(ended?.attributes['error.type']).to.equal('TypeError');
      expect(ended?.events.map((event) => event.name)).to.deep.equal(['exception']);
    });
  });

  describe('without an SDK', () => {
    it('when no SDK is registered, then isTracing() is false, spans neither record nor carry a trace, and a run runs as it is', async () => {
      expect(isTracing()).to.equal(false);
      const span = startSendSpan('user.created', 'redis');
      setMessageId(span, 'm-1');
      expect(span.isRecording()).to.equal(false);
      expect(injectTraceContext(span)).to.equal(undefined);
      expect(startProcessSpan({ system: 'redis', signalName: 'user.created', receiverName: 'audit' }, ROOT_CONTEXT).isRecording()).to.equal(false);
      expect(await inSpan(span, ROOT_CONTEXT, () => Promise.resolve(undefined))).to.equal(undefined);
    });
  });
});
