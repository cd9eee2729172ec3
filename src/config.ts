import { existsSync } from 'node:fs';
import { z } from 'zod';
import { MAX_TIMER_DELAY_MS } from './signals/index.js';

/** Where the data lives: an embedded SQLite file (or `:memory:`), or a PostgreSQL server. */
export type DatabaseConfig = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string };

/** Bounds on every wait for the database, in ms; see `DATABASE_*_MS` in docs/configuration.md. */
export interface DatabaseTimeouts {
  /** PostgreSQL: longest wait for a connection, new or from the pool. */
  readonly connectMs: number;
  /** PostgreSQL: longest a statement may run before it is cancelled. */
  readonly statementMs: number;
  /** SQLite: longest a write waits for another process's lock. */
  readonly busyMs: number;
}

/** What `DATABASE_*_MS` default to. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 3000, statementMs: 5000, busyMs: 5000 };

/** The signal backends config accepts: in this process, or across processes through a broker. */
export const SIGNAL_BACKENDS = ['memory', 'redis', 'rabbitmq'] as const;
export type SignalBackendName = (typeof SIGNAL_BACKENDS)[number];

/** How a broker backend is reached and retries; unused with `memory`. */
export interface BrokerConfig {
  readonly redisUrl: string;
  readonly amqpUrl: string;
  /** Prepended to every stream, queue and exchange name; unset: the backend's own default. */
  readonly prefix: string | undefined;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** How often each process reads the outbox for rows no commit woke it for (a crash, an outage). */
  readonly outboxPollIntervalMs: number;
  /** Redis: a dead worker's entries are taken over after this long idle. */
  readonly claimIdleMs: number;
  /** Redis: how often each worker looks for such entries. */
  readonly reclaimIntervalMs: number;
  /** Redis: where the group of a receiver never connected before starts. */
  readonly startFrom: 'end' | 'beginning';
}

/** Where traces go: OpenTelemetry's standard variables, read here so that `.env` can set them. */
export interface TracingConfig {
  /**
   * The OTLP/HTTP URL spans are posted to: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. Unset: no SDK is registered, nothing is traced.
   */
  readonly tracesUrl: string | undefined;
  /** `OTEL_SERVICE_NAME`; unset: each process names itself (`express-signals-web`, `-worker`). */
  readonly serviceName: string | undefined;
}

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly databaseTimeouts: DatabaseTimeouts;
  readonly logLevel: string;
  /** `pretty` (colored, one readable line, stacks on their own lines) or `json` (one JSON object per line). */
  readonly logFormat: 'json' | 'pretty';
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly signalsBackend: SignalBackendName;
  readonly broker: BrokerConfig;
  readonly shutdownTimeoutMs: number;
  /** How long one in-process receiver may run; it bounds what receivers add to a request's latency. */
  readonly receiverTimeoutMs: number;
  /** Where mail goes; unset: nowhere, with a copy in the development mailbox. */
  readonly smtpUrl: string | undefined;
  /** The worker serves `GET /metrics` on this port (at `host`); unset: it does not listen. */
  readonly metricsPort: number | undefined;
  readonly tracing: TracingConfig;
  readonly dashboard: DashboardConfig;
}

/** Whether `/signals` is served, and how. */
export interface DashboardConfig {
  /** `on`: replay and delete allowed; `read-only`: figures and dead letters only; `off`: not mounted (404). */
  readonly mode: 'on' | 'read-only' | 'off';
  /** Required by every API call when set (`Authorization: Bearer <token>`). */
  readonly token: string | undefined;
}

/**
 * Loads `path` into `process.env` when the file exists: variables already set in the
 * environment win. Uses Node's own parser (`process.loadEnvFile`, Node 20.12+). The default
 * is `.env`, or `.env.test` when `NODE_ENV=test`, so that a developer's `.env` (another
 * backend, another database) never reaches the processes the tests start.
 *
 * @returns whether a file was loaded.
 */
export function loadEnvFile(path = process.env.NODE_ENV === 'test' ? '.env.test' : '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

/** Thrown for a bad environment; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Node runs a longer timer after 1 ms (TimeoutOverflowWarning), so longer durations are refused.
const positiveMs = z.coerce.number().int().positive().max(MAX_TIMER_DELAY_MS);
const databaseUrl = z
  .string()
  .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'expected sqlite:<file>, sqlite::memory: or postgres://...');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback by default: a starter should not be reachable from the network until asked to be.
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl.default('sqlite:data/app.db'),
  DATABASE_CONNECT_TIMEOUT_MS: positiveMs.default(DEFAULT_DATABASE_TIMEOUTS.connectMs),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveMs.default(DEFAULT_DATABASE_TIMEOUTS.statementMs),
  DATABASE_BUSY_TIMEOUT_MS: positiveMs.default(DEFAULT_DATABASE_TIMEOUTS.busyMs),
  // `http` is info plus one access-log line per request.
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('http'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SIGNALS_BACKEND: z.enum(SIGNAL_BACKENDS).default('memory'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default('amqp://guest:guest@127.0.0.1:5672'),
  SIGNALS_PREFIX: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'expected up to 64 of A-Z a-z 0-9 . _ : -').optional(),
  SIGNALS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SIGNALS_RETRY_BASE_DELAY_MS: positiveMs.default(1000),
  SIGNALS_RETRY_MAX_DELAY_MS: positiveMs.default(30_000),
  SIGNALS_OUTBOX_POLL_INTERVAL_MS: positiveMs.default(1000),
  SIGNALS_CLAIM_IDLE_MS: positiveMs.default(15_000),
  SIGNALS_RECLAIM_INTERVAL_MS: positiveMs.default(2000),
  SIGNALS_START_FROM: z.enum(['end', 'beginning']).default('end'),
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10_000),
  RECEIVER_TIMEOUT_MS: positiveMs.default(5000),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_SDK_DISABLED: z.string().optional(),
  // The dashboard at /signals: on outside production, off in production unless it has a token.
  SIGNALS_DASHBOARD: z.enum(['on', 'read-only', 'off']).optional(),
  SIGNALS_DASHBOARD_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
});

/** The environment variables {@link loadConfig} reads, in the order `.env.example` lists them. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Reads and validates the configuration from `env`.
 *
 * @throws ConfigError naming the first bad variable, so the process can stop with one clear line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${variable}: ${issue?.message ?? 'invalid value'}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL),
    databaseTimeouts: {
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      busyMs: e.DATABASE_BUSY_TIMEOUT_MS,
    },
    logLevel: e.LOG_LEVEL,
    // Readable in development; machines read production's and test's lines.
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
    nodeEnv: e.NODE_ENV,
    signalsBackend: e.SIGNALS_BACKEND,
    broker: brokerConfig(e),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    receiverTimeoutMs: e.RECEIVER_TIMEOUT_MS,
    smtpUrl: e.SMTP_URL,
    metricsPort: e.METRICS_PORT,
    tracing: tracingConfig(e),
    dashboard: dashboardConfig(e),
  };
}

/**
 * A warning for the startup log when the dashboard can replay and delete dead letters with no
 * token on an address other hosts reach (`HOST=0.0.0.0`, say, for Prometheus to scrape a
 * worker); `undefined` otherwise.
 */
export function dashboardExposureWarning(config: Pick<AppConfig, 'dashboard' | 'host'>): string | undefined {
  const { mode, token } = config.dashboard;
  if (mode !== 'on' || token !== undefined || isLoopback(config.host)) return undefined;
  return `The signals dashboard at /signals can replay and delete dead letters, with no token, on ${config.host}: set SIGNALS_DASHBOARD_TOKEN, or SIGNALS_DASHBOARD=read-only or off`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * `SIGNALS_DASHBOARD` defaults to `on`, and in production to `off` unless
 * `SIGNALS_DASHBOARD_TOKEN` is set: production never serves it without a token.
 *
 * @throws ConfigError for `on` or `read-only` in production without a token.
 */
function dashboardConfig(e: z.infer<typeof envSchema>): DashboardConfig {
  const token = e.SIGNALS_DASHBOARD_TOKEN;
  const production = e.NODE_ENV === 'production';
  const mode = e.SIGNALS_DASHBOARD ?? (production && token === undefined ? 'off' : 'on');
  if (production && mode !== 'off' && token === undefined) {
    throw new ConfigError('Invalid configuration: SIGNALS_DASHBOARD: in production the dashboard needs SIGNALS_DASHBOARD_TOKEN');
  }
  return { mode, token };
}

/**
 * The OTLP specification's rules: the signal-specific endpoint as it is, the base one with
 * `v1/traces` appended to its path (its query kept); nothing at all with `OTEL_SDK_DISABLED=true`.
 */
function tracingConfig(e: z.infer<typeof envSchema>): TracingConfig {
  if (e.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return { tracesUrl: undefined, serviceName: e.OTEL_SERVICE_NAME };
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  let fromBase: string | undefined;
  if (base !== undefined) {
    const url = new URL(base);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/traces`;
    fromBase = url.href;
  }
  return { tracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? fromBase, serviceName: e.OTEL_SERVICE_NAME };
}

function brokerConfig(e: z.infer<typeof envSchema>): BrokerConfig {
  return {
    redisUrl: e.REDIS_URL,
    amqpUrl: e.AMQP_URL,
    prefix: e.SIGNALS_PREFIX,
    maxAttempts: e.SIGNALS_MAX_ATTEMPTS,
    retryBaseDelayMs: e.SIGNALS_RETRY_BASE_DELAY_MS,
    retryMaxDelayMs: e.SIGNALS_RETRY_MAX_DELAY_MS,
    outboxPollIntervalMs: e.SIGNALS_OUTBOX_POLL_INTERVAL_MS,
    claimIdleMs: e.SIGNALS_CLAIM_IDLE_MS,
    reclaimIntervalMs: e.SIGNALS_RECLAIM_INTERVAL_MS,
    startFrom: e.SIGNALS_START_FROM,
  };
}

function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', filename: url.slice('sqlite:'.length) };
  return { kind: 'postgres', url };
}

// `PORT=` in a shell or a .env file means "not set", not "set to nothing".
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
