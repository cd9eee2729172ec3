import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

/** Runs the writer fixture against `filename` for `durationMs`; resolves with the rows it wrote. */
async function writeFromAnotherProcess(filename: string, durationMs: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/fixtures/sqlite-writer.ts', filename, String(durationMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the writer exited ${code}`);
  return Number(output.trim());
}

describe('the app on a SQLite file another process writes to', () => {
  let folder: string;
  let t: TestApp;

  const BUSY_TIMEOUT_MS = 600;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'signals-sqlite-'));
    const filename = join(folder, 'app.db');
    const env = { DATABASE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) };
    t = await buildTestApp({ env, database: { config: { kind: 'sqlite', filename }, postgres: {}, drop: async () => {} } });
  });

  afterEach(async () => {
    await t.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('when updates race with the other process\'s inserts, then every update answers 200', async function () {
    this.timeout(30_000);
    const server = await t.server();
    const { id } = (await request(server).post('/users').send({ email: 'a@example.com', name: 'A', password: 'correct horse' }))
      .body as { id: number };
    const writer = writeFromAnotherProcess(join(folder, 'app.db'), 3000);
    const statuses: number[] = [];
    const deadline = Date.now() + 3000;
    const client = async (lane: number): Promise<void> => {
      for (let i = 0; Date.now() < deadline && i < 300; i += 1) {
        statuses.push((await request(server).patch(`/users/${id}`).send({ name: `A ${lane}.${i}` })).status);
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));
    const written = await writer;
    expect(written, 'the other process wrote').to.be.greaterThan(100);
    expect(statuses.length).to.be.greaterThan(100);
    expect(statuses.filter((status) => status !== 200)).to.deep.equal([]);
  });

  it('when another connection holds the write lock, then writes answer 503 within the busy timeout, the process keeps answering, and writes resume after', async () => {
    const server = await t.server();
    const { id } = (await request(server).post('/users').send({ email: 'a@example.com', name: 'A', password: 'correct horse' }))
      .body as { id: number };
    const other = new SqliteDatabase(join(folder, 'app.db'));
    other.prepare('begin immediate').run();
    try {
      const started = Date.now();
      const writes = Promise.all([1, 2, 3].map((n) => request(server).patch(`/users/${id}`).send({ name: `B${n}` })));
      const health = await request(server).get('/health').expect(200);
      expect(Date.now() - started, 'GET /health while writes wait').to.be.below(BUSY_TIMEOUT_MS / 2);
      expect(health.body).to.deep.equal({ status: 'ok' });
      const statuses = (await writes).map((response) => response.status);
      expect(statuses).to.deep.equal([503, 503, 503]);
      expect(Date.now() - started, 'all three writes').to.be.below(BUSY_TIMEOUT_MS * 2);
    } finally {
      other.prepare('commit').run();
      other.close();
    }
    await request(server).patch(`/users/${id}`).send({ name: 'C' }).expect(200);
  });
});
