import { expect } from 'chai';
import SqliteDatabase from 'better-sqlite3';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, type AppProcess } from './support/app-process.js';

/** Runs `src/server.ts` as `npm start` does, with `env` on top of a minimal environment. */
const startServer = (env: Record<string, string>): AppProcess => startAppProcess('src/server.ts', env);

/** Starts a JSON POST whose body is held back until `finish` is called. */
function postInTwoParts(url: string, body: string): { request: ClientRequest; finish(): void; response: Promise<{ status: number; body: string }> } {
  const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, 5));
  return { request, finish: () => request.end(body.slice(5)), response };
}

describe('server.ts (the real process)', function () {
  this.timeout(30_000);
  let dir: string;
  let started: AppProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'express-signals-'));
  });

  afterEach(async () => {
    await started?.kill();
    started = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('when started, then it logs one line saying where it listens and serves the API', async () => {
    started = startServer({ PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'data', 'app.db')}` });
    const line = await started.waitForLine(/Listening on/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
    expect(started.lines).to.have.length(1);
    expect((await fetch(`${url}/health`)).status).to.equal(200);
    expect(((await (await fetch(`${url}/products`)).json()) as unknown[]).length).to.equal(3);
  });

  it('when SIGTERM arrives during a request, then it refuses new connections, answers that request, completes its signals and exits 0', async () => {
    const file = join(dir, 'app.db');
    started = startServer({ PORT: '0', DATABASE_URL: `sqlite:${file}` });
    const url = /(http:\/\/[^";]+)/.exec(await started.waitForLine(/Listening on/))?.[1] ?? '';
    const exited = once(started.child, 'exit') as Promise<[number | null, string | null]>;
    const inFlight = postInTwoParts(`${url}/users`, JSON.stringify({ email: 'late@example.com', name: 'Late', password: 'correct horse' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    started.child.kill('SIGTERM');
    await started.waitForLine(/SIGTERM received/);
    const refused: unknown = await fetch(`${url}/health`).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(Error);
    inFlight.finish();
    expect((await inFlight.response).status).to.equal(201);
    const [code] = await exited;
    expect(code).to.equal(0);
    const db = new SqliteDatabase(file, { readonly: true });
    try {
      const rows = db.prepare("select signal from audit_events where entity = 'user'").all();
      expect(rows).to.deep.equal([{ signal: 'user.created' }]);
    } finally {
      db.close();
    }
  });

  it('when an in-flight request outlives SHUTDOWN_TIMEOUT_MS, then it exits 1', async () => {
    started = startServer({ PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, SHUTDOWN_TIMEOUT_MS: '300' });
    const url = /(http:\/\/[^";]+)/.exec(await started.waitForLine(/Listening on/))?.[1] ?? '';
    const exited = once(started.child, 'exit') as Promise<[number | null]>;
    const stuck = postInTwoParts(`${url}/users`, JSON.stringify({ email: 'stuck@example.com', name: 'S', password: 'correct horse' }));
    stuck.response.catch(() => undefined); // the server goes away before answering
    await new Promise((resolve) => setTimeout(resolve, 200));
    started.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).to.equal(1);
    await started.waitForLine(/did not finish within 300 ms/);
    stuck.request.destroy();
  });

  it('when a variable is invalid, then it prints one line naming it and exits 1', async () => {
    started = startServer({ PORT: 'eighty' });
    let stderr = '';
    started.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(started.child, 'exit')) as [number | null];
    expect(code).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.match(/^Invalid configuration: PORT: /);
  });
});
