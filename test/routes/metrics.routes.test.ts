import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import { sampleValue, samplesNamed } from '../support/prometheus.js';
import { useTestApp } from '../support/test-app.js';

const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };
const grace = { email: 'grace@example.com', name: 'Grace', password: 'correct horse' };

/** The labels of `receiver` running on `user.created` in-process. */
function processed(receiver: string, extra: Record<string, string> = {}): Record<string, string> {
  const destination = { messaging_system: 'memory', messaging_operation_name: 'process', messaging_destination_name: 'user.created' };
  return { ...destination, receiver, ...extra };
}

describe('GET /metrics (memory backend)', () => {
  const t = useTestApp();

  it('when it is scraped, then it answers the Prometheus text format', async () => {
    const response = await request(t().app).get('/metrics').expect(200);
    expect(response.headers['content-type']).to.equal('text/plain; version=0.0.4; charset=utf-8');
    expect(response.text).to.contain('# TYPE messaging_client_sent_messages_total counter');
    expect(response.text).to.contain('# TYPE messaging_process_duration_seconds histogram');
  });

  it('when two users are created and the welcome mail fails, then it counts each send and each receiver by outcome', async () => {
    sinon.stub(t().container.mailer, 'send').rejects(new Error('SMTP server down'));
    await request(t().app).post('/users').send(ada).expect(201);
    await request(t().app).post('/users').send(grace).expect(201);

    const { text } = await request(t().app).get('/metrics').expect(200);
    const sent = { messaging_system: 'memory', messaging_operation_name: 'send', messaging_destination_name: 'user.created' };
    expect(sampleValue(text, 'messaging_client_sent_messages_total', sent)).to.equal(2);
    const consumed = 'messaging_client_consumed_messages_total';
    expect(sampleValue(text, consumed, processed('sendWelcomeEmail', { outcome: 'failure' }))).to.equal(2);
    expect(sampleValue(text, consumed, processed('sendWelcomeEmail', { outcome: 'success' }))).to.equal(undefined);
    expect(sampleValue(text, consumed, processed('auditUserCreated', { outcome: 'success' }))).to.equal(2);
    const durations = 'messaging_process_duration_seconds_count';
    expect(sampleValue(text, durations, processed('sendWelcomeEmail', { error_type: 'Error' }))).to.equal(2);
    expect(sampleValue(text, durations, processed('auditUserCreated'))).to.equal(2);
    expect(sampleValue(text, 'messaging_process_duration_seconds_bucket', processed('auditUserCreated', { le: '+Inf' }))).to.equal(2);
  });

  it('when nothing was sent, then no signal has a count yet and there are no broker gauges', async () => {
    const { text } = await request(t().app).get('/metrics').expect(200);
    expect(samplesNamed(text, 'messaging_client_sent_messages_total')).to.deep.equal([]);
    expect(text).not.to.contain('messaging_dead_letter_messages');
    expect(text).not.to.contain('messaging_outbox_pending_messages');
  });

  it('when /metrics is asked with another method, then it answers 405 with Allow', async () => {
    const response = await request(t().app).post('/metrics').expect(405);
    expect(response.headers.allow).to.equal('GET, HEAD');
  });
});
