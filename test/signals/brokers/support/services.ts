import { connect } from 'node:net';

/** The loopback servers the broker suites run against. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** True when something accepts TCP connections at `url`'s host and port within a second. */
export function isReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), timeout: 1000 });
    const finish = (reachable: boolean): void => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

/**
 * A mocha `before` hook: skips the suite with a printed reason when the server is down, or
 * fails it when REQUIRE_SERVICES=1 (CI), where a missing server is a broken setup.
 */
export function requireServer(name: string, url: string): (this: Mocha.Context) => Promise<void> {
  return async function () {
    if (await isReachable(url)) return;
    const reason = `${name} is not reachable at ${new URL(url).host}`;
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason}, and REQUIRE_SERVICES=1`);
    process.stdout.write(`      (skipped: ${reason}; set REQUIRE_SERVICES=1 to fail instead)\n`);
    this.skip();
  };
}
