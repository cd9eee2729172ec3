import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  /** Prefixes every email, so that no two rounds (nor warm-up and round) share one. */
  readonly emailPrefix: string;
}

export interface LoadResult {
  /** 2xx responses per second: what the app got done, not what it refused. */
  readonly requestsPerSecond: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Response count by status code, e.g. `{ '201': 312 }`. */
  readonly statusCodes: Record<string, number>;
  readonly p50Ms: number;
}

/**
 * `POST /users` with a new email on every request: a repeated email would be answered
 * 409 before any write or signal, and measure the conflict path instead of a signup.
 */
export async function postUsers(options: LoadOptions): Promise<LoadResult> {
  let sequence = 0;
  const setupRequest = (request: AutocannonRequest): AutocannonRequest => {
    sequence++;
    const email = `${options.emailPrefix}-${sequence}@bench.example`;
    return { ...request, body: JSON.stringify({ email, name: `Bench ${sequence}`, password: 'correct horse' }) };
  };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [{ method: 'POST', path: '/users', headers: { 'content-type': 'application/json' }, setupRequest }],
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]),
  );
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    p50Ms: result.latency.p50,
  };
}
