import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createSmtpTransport, NodemailerMailer } from '../../src/services/mailer.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

/** An SMTP server that accepts connections and never says a word. */
async function hungSmtpServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a hung SMTP server', function () {
  this.timeout(10_000);
  let smtp: Awaited<ReturnType<typeof hungSmtpServer>>;
  let t: TestApp | undefined;

  beforeEach(async () => {
    smtp = await hungSmtpServer();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await smtp.close();
  });

  it('when it never greets, then sending gives up after the greeting timeout', async () => {
    const mailer = new NodemailerMailer({ transport: createSmtpTransport(smtp.url, { connectionMs: 200, greetingMs: 200, socketMs: 400 }) });
    const started = Date.now();
    const failure = await mailer.send({ to: 'ada@example.com', subject: 'Hi', text: 'Hello' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(Error);
    expect(Date.now() - started).to.be.below(2000);
  });

  it('when a signup sends its welcome mail there, then the answer still comes within the receiver timeout', async () => {
    t = await buildTestApp({ env: { SMTP_URL: smtp.url, RECEIVER_TIMEOUT_MS: '300' } });
    const started = Date.now();
    await request(t.app).post('/users').send({ email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' }).expect(201);
    expect(Date.now() - started).to.be.below(2000);
    const timedOut = t.logs.at('error').find((entry) => entry.errorName === 'ReceiverTimeoutError');
    expect(timedOut).to.include({ signal: 'user.created', receiver: 'sendWelcomeEmail' });
  });

  it('when nothing is configured, then receivers have a timeout of 5 s', () => {
    expect(loadConfig({}).receiverTimeoutMs).to.equal(5000);
  });
});
