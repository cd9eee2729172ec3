import { expect } from 'chai';
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';
import { guardDialect } from '../../src/db/guarded-driver.js';
import { isSqliteBusy } from '../../src/db/unavailable.js';
import { ServiceUnavailableError } from '../../src/errors.js';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
const query = CompiledQuery.raw('update t set x = 1');

/** A driver whose one connection answers each query with the next of `outcomes` (an Error is thrown). */
function fakeDialect(outcomes: (Error | 'ok')[], commit: () => Promise<void> = () => Promise.resolve()) {
  const executed: string[] = [];
  const connection: DatabaseConnection = {
    executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      executed.push(compiled.sql);
      const outcome = outcomes.shift() ?? 'ok';
      return outcome === 'ok' ? Promise.resolve({ rows: [] }) : Promise.reject(outcome);
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => Promise.resolve(connection),
    beginTransaction: () => Promise.resolve(),
    commitTransaction: commit,
    rollbackTransaction: () => Promise.resolve(),
    releaseConnection: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  };
  const dialect = { createDriver: () => driver } as unknown as Dialect;
  return { dialect, executed };
}

describe('guardDialect()', () => {
  const options = { beginSql: CompiledQuery.raw('begin immediate'), busy: { isBusy: isSqliteBusy, timeoutMs: 300 } };

  it('when a statement outside a transaction finds the database busy, then it is tried again until it succeeds', async () => {
    const { dialect, executed } = fakeDialect([busy(), busy(), 'ok']);
    const driver = guardDialect(dialect, options).createDriver();
    const connection = await driver.acquireConnection();
    await connection.executeQuery(query);
    expect(executed).to.have.length(3);
  });

  it('when the database stays busy past the timeout, then it fails as unavailable (503)', async () => {
    const { dialect } = fakeDialect(Array.from({ length: 100 }, busy));
    const driver = guardDialect(dialect, options).createDriver();
    const connection = await driver.acquireConnection();
    const started = Date.now();
    const error: unknown = await connection.executeQuery(query).catch((thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(ServiceUnavailableError);
    expect(Date.now() - started).to.be.within(200, 600);
  });

  it('when a statement inside a transaction finds the database busy, then it is not retried', async () => {
    const { dialect, executed } = fakeDialect(['ok', busy(), 'ok']);
    const driver = guardDialect(dialect, options).createDriver();
    const connection = await driver.acquireConnection();
    await driver.beginTransaction(connection, {});
    const error: unknown = await connection.executeQuery(query).catch((thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(ServiceUnavailableError);
    expect(executed).to.deep.equal(['begin immediate', query.sql]);
  });

  it('when a query is refused for what it is (a constraint), then the error passes through unchanged', async () => {
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const { dialect } = fakeDialect([constraint]);
    const connection = await guardDialect(dialect, options).createDriver().acquireConnection();
    expect(await connection.executeQuery(query).catch((thrown: unknown) => thrown)).to.equal(constraint);
  });

  it('when the commit fails with a connection error, then the 503 says the change may have been applied', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const { dialect } = fakeDialect([], () => Promise.reject(reset));
    const driver = guardDialect(dialect).createDriver();
    const connection = await driver.acquireConnection();
    await driver.beginTransaction(connection, {});
    const error: unknown = await driver.commitTransaction(connection).catch((thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(ServiceUnavailableError);
    expect(error).to.have.property('message').that.contains('may have been applied');
    expect(error).to.have.property('cause', reset);
  });
});
