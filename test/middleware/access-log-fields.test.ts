import { connect, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { accessLog } from '../../src/middleware/access-log.js';
import { requestContext } from '../../src/middleware/request-context.js';
import { createMemoryLogger, type LogEntry } from '../support/memory-logger.js';

/**
 * A bare app with the access log on a logger that adds nothing of its own (no request id
 * format): what is on a line comes from accessLog().
 */
function loggedApp(): { app: express.Express; lines: LogEntry[] } {
  // `lines` is the logger's own array: it fills as requests finish.
  const { logger, entries } = createMemoryLogger();
  const app = express();
  app.use(requestContext, accessLog(logger));
  app.get('/report', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('part one, ');
    setTimeout(() => res.end('part two'), 150);
  });
  app.post('/upload', (req, res) => {
    req.resume().on('end', () => res.status(204).end());
  });
  return { app, lines: entries };
}

describe('accessLog()', () => {
  it('when a request is answered, then the line carries the request id the response carries', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/report').set('X-Request-Id', 'req-report').expect(200);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ method: 'GET', path: '/report', status: 200, requestId: 'req-report' });
  });

  it('when the body goes out well after the headers, then the duration is the time to the headers', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/report').expect(200);
    expect(lines[0]?.durationMs).to.be.a('number').and.below(100);
  });

  // morgan measures from the request to the headers (response-time) or to the end of the
  // response (total-time); with no headers sent it gives neither, so the line has no duration.
  it('when the client goes away before the answer, then the line says aborted, with no duration', async () => {
    const { app, lines } = loggedApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it');
      await delay(30);
      socket.destroy();
      for (let i = 0; i < 40 && lines.length === 0; i++) await delay(25);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ method: 'POST', path: '/upload', status: undefined, durationMs: undefined });
    expect(lines[0]?.message).to.equal('POST /upload aborted ? ms');
  });
});
