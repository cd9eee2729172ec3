import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { sql } from 'kysely';
import request from 'supertest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { postgresTarget, requireDatabase, TEST_DATABASE_URL } from '../support/databases.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const CONNECT_TIMEOUT_MS = 800;
const STATEMENT_TIMEOUT_MS = 1200;
const ada = (n: number) => ({ email: `ada${n}@example.com`, name: 'Ada', password: 'correct horse' });

describe('the app on PostgreSQL behind a faulty network', function () {
  const target = postgresTarget();
  let proxy: TcpProxy;
  let t: TestApp | undefined;
  this.timeout(30_000);

  before(requireDatabase(target, 'database faults'));

  beforeEach(async () => {
    proxy = new TcpProxy(TEST_DATABASE_URL ?? '');
    await proxy.up();
    const database = await target.create();
    const config = { kind: 'postgres' as const, url: proxy.url(TEST_DATABASE_URL ?? '') };
    const env = { DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) };
    t = await buildTestApp({ env, database: { ...database, config } });
  });
  const app = (): TestApp => {
    if (t === undefined) throw new Error('No app');
    return t;
  };

  afterEach(async () => {
    proxy.resume();
    await proxy.up().catch(() => undefined);
    await t?.close();
    t = undefined;
    await proxy.down();
  });

  it('when the connections drop under load, then every answer is 201 or 503, the process lives on and recovers', async () => {
    const server = await app().server();
    const statuses: number[] = [];
    const sendWave = (from: number) =>
      Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          request(server).post('/orders').send({ customerEmail: 'a@example.com', items: [{ sku: 'WIDGET-1', quantity: 1 }] })
            .then((response) => statuses.push(response.status), () => statuses.push(from + i)),
        ),
      );
    const load = sendWave(0);
    await delay(30);
    await proxy.down();
    await load;
    await proxy.up();
    expect(statuses.filter((status) => status !== 201 && status !== 503)).to.deep.equal([]);
    expect(statuses).to.include(503);
    await request(server).post('/users').send(ada(1)).expect(201);
    await request(server).get('/ready').expect(200);
    expect(app().logs.at('error').map((entry) => entry.message)).to.deep.equal([]);
  });

  it('when a connection drops while a transaction holds it between statements, then the transaction fails as unavailable and nothing crashes', async () => {
    const { db } = app().container.connection;
    const failed = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await proxy.down();
      await delay(200);
      await sql`select 1`.execute(trx);
    });
    const error: unknown = await failed.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(ServiceUnavailableError);
    expect(app().logs.at('warn').map((entry) => entry.message).join('\n')).to.match(/database connection/i);
    await proxy.up();
    await request(app().app).get('/ready').expect(200);
  });

  it('when a statement runs past the statement timeout, then it fails as unavailable, but a migration connection has no such limit', async () => {
    const { db, openForMigrations } = app().container.connection;
    const slow = sql`select pg_sleep(${(STATEMENT_TIMEOUT_MS + 300) / 1000})`;
    const error: unknown = await slow.execute(db).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(ServiceUnavailableError);
    expect(error).to.have.nested.property('cause.code', '57014');
    const migrations = openForMigrations?.();
    expect(migrations, 'a migration connection').to.not.equal(undefined);
    try {
      await slow.execute(migrations!);
    } finally {
      await migrations?.destroy();
    }
  });

  it('when the database stops answering, then /ready says 503 within 2 s, a write answers 503 with Retry-After in bounded time, and it recovers', async () => {
    const server = await app().server();
    await request(server).post('/users').send(ada(1)).expect(201);
    proxy.pause();
    let started = Date.now();
    await request(server).get('/ready').expect(503);
    expect(Date.now() - started).to.be.below(2000);
    started = Date.now();
    const response = await request(server).post('/users').send(ada(2)).expect(503);
    expect(Date.now() - started).to.be.below(CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1500);
    expect(response.body).to.have.nested.property('error.code', 'service_unavailable');
    expect(response.headers['retry-after']).to.match(/^\d+$/);
    proxy.resume();
    await request(server).post('/users').send(ada(3)).expect(201);
    await request(server).get('/ready').expect(200);
  });
});
