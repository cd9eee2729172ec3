import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { getBackend } from '../current-backend.js';
import { describeThrown } from '../error-fields.js';
import type { SignalLogger } from '../logger.js';
import type { BaseSignalBackend } from '../backend.js';
import { BrokerBackend } from '../brokers/broker-backend.js';
import type { DeadLetterFilter } from '../brokers/dead-letters.js';
import type { AnySignal } from '../types.js';
import { DASHBOARD_PAGE, DASHBOARD_SCRIPT } from './dashboard-page.js';
import type { SignalStats, SignalStatsSnapshot } from './signal-stats.js';

/** Options of {@link signalsDashboard}. */
export interface SignalsDashboardOptions {
  /** The signals to show, in this order (their receivers are read from the backend). */
  readonly signals: readonly AnySignal[];
  /** The backend to read; default: the current one (`getBackend()`), read at each request. */
  readonly backend?: () => BaseSignalBackend;
  /** Live rates, durations and failures; without it the page shows the wiring and dead letters only. */
  readonly stats?: SignalStats;
  /**
   * When set, every API call needs `Authorization: Bearer <token>` (the page asks for it once and
   * keeps it in the tab's sessionStorage; it can also be given as `#token=…` in the page's URL,
   * which never reaches the server or its logs). Compared in constant time.
   */
  readonly token?: string;
  /** Refuses replay and delete (403); the page hides their buttons. Default false. */
  readonly readOnly?: boolean;
  /** One line naming the backend, shown in the header: `redis at 127.0.0.1:6379, prefix signals:`. */
  readonly description?: string;
  /** Replays and deletes are logged at info level, broker errors at warn. */
  readonly logger?: SignalLogger;
}

/** The body of `POST api/dead-letters/replay` and `…/delete`, as the router validates it. */
export const deadLetterFilterSchema = z
  .object({
    signal: z.string().min(1).max(200).optional(),
    receiver: z.string().min(1).max(200).optional(),
    error: z.string().min(1).max(500).optional(),
    messageId: z.string().min(1).max(200).optional(),
    ids: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
    all: z.literal(true).optional(),
  })
  .strict()
  .refine((filter) => filter.all === true || Object.keys(filter).length > 0, { message: 'Give a filter, or "all": true for every dead letter' });

/** The query of `GET api/dead-letters`, as the router validates it. */
export const deadLetterListQuerySchema = z.object({
  signal: z.string().min(1).optional(),
  receiver: z.string().min(1).optional(),
  error: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * The signals dashboard, as an Express router to mount where you like
 * (`app.use('/signals', signalsDashboard({ signals }))`). It serves one page, `GET /`, with no
 * front-end framework (a script of its own at `GET /app.js`), and its JSON API:
 *
 * - `GET /api/state`: the wiring (each signal, where it is published, its receivers and what
 *   waits for each on a broker), live figures from `stats`, the dead-letter count and the
 *   outbox's pending rows and lag. A broker that cannot be reached is reported in `problem`.
 * - `GET /api/dead-letters?signal&receiver&error&limit`: the dead letters, newest first.
 * - `POST /api/dead-letters/replay` and `POST /api/dead-letters/delete` with a JSON filter
 *   (`signal`, `receiver`, `error`, `messageId`, `ids`, or `"all": true`): see
 *   `BrokerBackend.replayDeadLetters` (same message id, to the failed receiver alone).
 *
 * It decides nothing about where it may be served: the app mounts it only where it should be
 * seen (the reference app: in development, or with `SIGNALS_DASHBOARD_TOKEN`). Errors are
 * answered as `{ "error": message }` with 400 (bad filter), 401 (token), 403 (read-only), 409
 * (no dead letters on this backend) or 503 (broker unreachable).
 */
export function signalsDashboard(options: SignalsDashboardOptions): Router {
  const router = express.Router();
  const backend = options.backend ?? getBackend;
  const readOnly = options.readOnly ?? false;

  router.get('/', (req, res) => {
    // The page loads `app.js` and `api/…` relative to itself: its URL must end with a slash.
    const [path = '', query] = req.originalUrl.split('?', 2);
    if (!path.endsWith('/')) return res.redirect(301, `${path}/${query === undefined ? '' : `?${query}`}`);
    res.type('html').set('Cache-Control', 'no-store').send(DASHBOARD_PAGE);
  });
  router.get('/app.js', (_req, res) => {
    res.type('js').set('Cache-Control', 'no-store').send(DASHBOARD_SCRIPT);
  });

  const api = express.Router();
  api.use(requireToken(options.token));
  api.use(express.json({ limit: '100kb' }));
  api.get('/state', handle(async (_req, res) => res.json(await readState(backend(), options, readOnly))));
  api.get('/dead-letters', handle(async (req, res) => {
    const query = deadLetterListQuerySchema.safeParse(req.query);
    if (!query.success) return fail(res, 400, z.prettifyError(query.error));
    res.json(await brokerOf(backend()).listDeadLetters(query.data));
  }));
  api.post('/dead-letters/replay', handle(async (req, res) => {
    const filter = parseFilter(req, res, readOnly);
    if (filter === undefined) return;
    const result = await brokerOf(backend()).replayDeadLetters(filter);
    options.logger?.info(`Dashboard replayed ${result.replayed} dead letters`, { filter, replayed: result.replayed, skipped: result.skipped.length });
    res.json(result);
  }));
  api.post('/dead-letters/delete', handle(async (req, res) => {
    const filter = parseFilter(req, res, readOnly);
    if (filter === undefined) return;
    const deleted = await brokerOf(backend()).deleteDeadLetters(filter);
    options.logger?.info(`Dashboard deleted ${deleted} dead letters`, { filter, deleted });
    res.json({ deleted });
  }));
  api.use((_req, res) => fail(res, 404, 'No such dashboard API'));
  api.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof NoDeadLetters) return fail(res, 409, error.message);
    const status = (error as { status?: unknown }).status;
    // express.json's own errors (malformed JSON, too large) carry their status.
    if (typeof status === 'number' && status >= 400 && status < 500) return fail(res, status, describeThrown(error));
    options.logger?.warn(`Signals dashboard: ${describeThrown(error)}`, {});
    fail(res, 503, `The broker could not be reached: ${describeThrown(error)}`);
  });
  router.use('/api', api);
  return router;
}

/** What `GET /api/state` answers. */
export interface DashboardState {
  readonly description: string | undefined;
  readonly readOnly: boolean;
  /** `broker` when dead letters and backlogs exist; `in-process` otherwise. */
  readonly kind: 'broker' | 'in-process';
  readonly signals: readonly {
    readonly signal: string;
    readonly destination: string | undefined;
    readonly receivers: readonly { readonly name: string; readonly waiting?: number; readonly inProgress?: number }[];
  }[];
  readonly stats: SignalStatsSnapshot | undefined;
  readonly deadLetters: { readonly count: number; readonly destination: string } | undefined;
  readonly outbox: { readonly pending: number; readonly lagMs: number | undefined } | undefined;
  /** Why some figures are missing: the broker or the database did not answer. */
  readonly problem: string | undefined;
}

async function readState(backend: BaseSignalBackend, options: SignalsDashboardOptions, readOnly: boolean): Promise<DashboardState> {
  const base = { description: options.description, readOnly, stats: options.stats?.snapshot() };
  if (!(backend instanceof BrokerBackend)) {
    const signals = options.signals.map((signal) => ({ signal: signal.name, destination: undefined, receivers: backend.receiverNames(signal).map((name) => ({ name })) }));
    return { ...base, kind: 'in-process', signals, deadLetters: undefined, outbox: undefined, problem: undefined };
  }
  const problems: string[] = [];
  const attempt = <T>(what: string, read: () => Promise<T>): Promise<T | undefined> =>
    read().catch((error: unknown) => {
      problems.push(`${what}: ${describeThrown(error)}`);
      return undefined;
    });
  const relay = backend.outboxRelay;
  const [backlog, count, pending, lagMs] = await Promise.all([
    attempt('backlog', () => backend.backlog()),
    attempt('dead letters', () => backend.deadLetterCount()),
    relay === undefined ? undefined : attempt('outbox', () => relay.pendingCount()),
    relay === undefined ? undefined : attempt('outbox', () => relay.lagMs()),
  ]);
  const signals = options.signals.map((signal) => ({
    signal: signal.name,
    destination: backend.destinationOf(signal.name),
    receivers: backend.receiverNames(signal).map((name) => {
      const found = backlog?.find((entry) => entry.signal === signal.name && entry.receiver === name);
      return { name, waiting: found?.waiting, inProgress: found?.inProgress };
    }),
  }));
  return {
    ...base,
    kind: 'broker',
    signals,
    deadLetters: count === undefined ? undefined : { count, destination: backend.deadLetterDestination },
    outbox: relay === undefined || pending === undefined ? undefined : { pending, lagMs },
    problem: problems.length === 0 ? undefined : [...new Set(problems)].join('; '),
  };
}

class NoDeadLetters extends Error {}

function brokerOf(backend: BaseSignalBackend): BrokerBackend {
  if (backend instanceof BrokerBackend) return backend;
  throw new NoDeadLetters('Dead letters exist on a broker backend only: in-process, a failed receiver is logged');
}

/** The body's filter, or `undefined` once the refusal is answered. */
function parseFilter(req: Request, res: Response, readOnly: boolean): DeadLetterFilter | undefined {
  if (readOnly) {
    fail(res, 403, 'The dashboard is read-only');
    return undefined;
  }
  if (!req.is('application/json')) {
    fail(res, 415, 'Send the filter as application/json');
    return undefined;
  }
  const parsed = deadLetterFilterSchema.safeParse(req.body);
  if (!parsed.success) {
    fail(res, 400, z.prettifyError(parsed.error));
    return undefined;
  }
  const { all: _all, ...filter } = parsed.data;
  return filter;
}

function requireToken(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    // The scheme is case-insensitive (RFC 9110, 11.1).
    const given = /^Bearer +(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="signals dashboard"');
    fail(res, 401, 'The signals dashboard needs its token');
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: message });
}

/** An async handler whose rejection goes to the router's error handler. */
function handle(fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}
