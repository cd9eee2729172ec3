import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server (a broker, a database), so a test can take it
 * away and bring it back, make it hang, or make one blocking read hang, without touching the
 * shared server.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  #swallowArmed = false;
  #paused = false;
  readonly #held: { socket: Socket; chunk: Buffer }[] = [];
  /** True once a read was swallowed after {@link swallowNextRead}. */
  swallowed = false;

  constructor(targetUrl: string) {
    const { hostname, port } = new URL(targetUrl);
    this.#target = { host: hostname, port: Number(port) };
  }

  /** The proxied URL: `targetUrl` with the proxy's port. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.port = String(this.#port);
    return url.toString();
  }

  /** Starts accepting (again, on the same port after {@link down}). */
  async up(): Promise<void> {
    const server = createServer((client) => this.#pipe(client));
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** The broker "goes away": open connections are cut and new ones are refused. */
  async down(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  }

  /**
   * The server "hangs": connections are still accepted, but nothing is forwarded either way
   * (held back, not lost) until {@link resume}.
   */
  pause(): void {
    this.#paused = true;
  }

  /** Forwards what {@link pause} held back, then everything as before. */
  resume(): void {
    this.#paused = false;
    for (const { socket, chunk } of this.#held.splice(0)) if (!socket.destroyed) socket.write(chunk);
  }

  /** The next connection that sends XREADGROUP never hears back: a hung blocking read. */
  swallowNextRead(): void {
    this.#swallowArmed = true;
  }

  #forward(to: Socket, chunk: Buffer): void {
    if (this.#paused) this.#held.push({ socket: to, chunk });
    else to.write(chunk);
  }

  #pipe(client: Socket): void {
    const upstream = connect(this.#target);
    let swallowing = false;
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (this.#swallowArmed && chunk.toString('latin1').toUpperCase().includes('XREADGROUP')) {
        this.#swallowArmed = false;
        this.swallowed = swallowing = true;
      }
      this.#forward(upstream, chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!swallowing) this.#forward(client, chunk);
    });
  }
}
