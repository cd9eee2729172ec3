import { expect } from 'chai';
import request from 'supertest';
import { createLogger } from '../../src/logger.js';
import { runWithRequestContext } from '../../src/middleware/request-context.js';
import { MemoryTransport } from '../support/memory-transport.js';
import { useTestApp } from '../support/test-app.js';

const MESSAGE = Symbol.for('message');

describe('the access log', () => {
  const t = useTestApp();

  it('when a request is answered, then one http line says method, path, status, duration and request id', async () => {
    await request(t().app).get('/products').set('X-Request-Id', 'req-access').expect(200);
    const lines = t().logs.at('http');
    expect(lines).to.have.length(1);
    const [line] = lines;
    expect(line).to.include({ method: 'GET', path: '/products', status: 200, requestId: 'req-access' });
    expect(line?.durationMs).to.be.a('number').and.at.least(0);
    expect(line?.message).to.match(/^GET \/products 200 \d+\.\d ms$/);
  });

  it('when the URL has a query string, then the line leaves it out', async () => {
    await request(t().app).get('/users?token=secret-value').expect(400);
    const [line] = t().logs.at('http');
    expect(line).to.include({ path: '/users', status: 400 });
    expect(JSON.stringify(line)).not.to.contain('secret-value');
  });

  it('when the request fails, then the line has the error status', async () => {
    await request(t().app).get('/nowhere').expect(404);
    expect(t().logs.at('http').map((line) => line.status)).to.deep.equal([404]);
  });
});

describe('log formats', () => {
  function formatted(format: 'json' | 'pretty', log: (logger: ReturnType<typeof createLogger>) => void): string {
    const logs = new MemoryTransport();
    log(createLogger({ format, transports: [logs] }));
    return logs.entries.map((entry) => String((entry as Record<symbol, unknown>)[MESSAGE])).join('\n');
  }

  it('when the format is pretty, then a line is readable: time, colored level, request id, message, fields, and the stack on its own lines', () => {
    const error = new Error('boom');
    const text = formatted('pretty', (logger) =>
      runWithRequestContext({ requestId: 'req-7' }, () => logger.error('Unhandled error', { errorName: 'Error', stack: error.stack })),
    );
    const [first, second] = text.split('\n');
    const red = (text: string): string => `\u001b[31m${text}\u001b[39m`;
    expect(first?.slice(13)).to.equal(`${red('error')} [req-7] Unhandled error {"errorName":"Error"}`);
    expect(first?.slice(0, 13)).to.match(/^\d\d:\d\d:\d\d\.\d{3} $/);
    expect(second).to.equal('Error: boom');
  });

  it('when the format is json, then a line is one JSON object with the request id', () => {
    const text = formatted('json', (logger) => runWithRequestContext({ requestId: 'req-8' }, () => logger.info('hello', { n: 1 })));
    expect(JSON.parse(text)).to.include({ level: 'info', message: 'hello', requestId: 'req-8', n: 1 });
  });
});
