import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { buildContainer } from '../../src/container.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run db:reset` as npm does, with `env` on top of a minimal environment. */
async function dbReset(env: Record<string, string>): Promise<Outcome> {
  const options = { env: { PATH: process.env.PATH ?? '', ...env } };
  return run(process.execPath, ['--import', 'tsx', 'scripts/db-reset.ts'], options).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** The users and the stock of GADGET-1 in the SQLite file at `filename`. */
async function contentsOf(filename: string): Promise<{ users: number; gadgetsReserved: number }> {
  const container = buildContainer(loadConfig({ DATABASE_URL: `sqlite:${filename}`, NODE_ENV: 'test', LOG_LEVEL: 'error' }));
  try {
    await migrateToLatest(container.connection);
    const { total } = await container.users.list({ limit: 1, offset: 0 });
    const gadget = (await container.products.list()).find((product) => product.sku === 'GADGET-1');
    return { users: total, gadgetsReserved: gadget?.reserved ?? -1 };
  } finally {
    await container.close();
  }
}

/** A user and an order of two gadgets in the SQLite file at `filename`. */
async function useTheDatabase(filename: string): Promise<void> {
  const container = buildContainer(loadConfig({ DATABASE_URL: `sqlite:${filename}`, NODE_ENV: 'test', LOG_LEVEL: 'error' }));
  try {
    await migrateToLatest(container.connection);
    await container.users.create({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    await container.orders.create({ customerEmail: 'ada@example.com', items: [{ sku: 'GADGET-1', quantity: 2 }] });
  } finally {
    await container.close();
  }
}

describe('npm run db:reset', () => {
  let folder = '';
  let filename = '';

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'db-reset-'));
    filename = join(folder, 'app.db');
    await useTheDatabase(filename);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('when run on a used SQLite file, then it exits 0 saying so, and the data is what a fresh start has', async () => {
    const outcome = await dbReset({ DATABASE_URL: `sqlite:${filename}` });
    expect(outcome).to.deep.equal({ code: 0, stdout: `Reset sqlite:${filename}: tables emptied, products seeded\n`, stderr: '' });
    expect(await contentsOf(filename)).to.deep.equal({ users: 0, gadgetsReserved: 0 });
  });

  it('when NODE_ENV is production, then it refuses with exit code 1 and changes nothing', async () => {
    const outcome = await dbReset({ DATABASE_URL: `sqlite:${filename}`, NODE_ENV: 'production' });
    expect(outcome).to.deep.equal({ code: 1, stdout: '', stderr: 'Refusing to reset the database: NODE_ENV is production\n' });
    expect(await contentsOf(filename)).to.deep.equal({ users: 1, gadgetsReserved: 2 });
  });

  it('when a variable is invalid, then it exits 1 with the one line naming it', async () => {
    const outcome = await dbReset({ DATABASE_URL: `sqlite:${filename}`, NODE_ENV: 'staging' });
    expect(outcome.code).to.equal(1);
    expect(outcome.stderr).to.match(/^Invalid configuration: NODE_ENV: .+\n$/);
  });
});
