import { Router } from 'express';
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import type { DashboardSettings } from '../app.js';
import type { Logger } from '../logger.js';
import { pagePolicy } from '../middleware/page-policy.js';
import { appSignals } from '../services/signals.js';
import { deadLetterFilterSchema, deadLetterListQuerySchema, signalsDashboard } from '../signals/dashboard/index.js';
import { jsonResponse, requestJson } from './openapi-parts.js';

/**
 * The signals dashboard of the app's signals (`signalsDashboard`), mounted at `/signals` by
 * `createApp` (before the app's JSON body parser, so that its API answers every error in its own
 * shape and checks the token first) and by the worker's metrics app, when `SIGNALS_DASHBOARD` is
 * not `off`; under the page policy that lets it load over plain HTTP.
 */
export function signalsDashboardRouter(settings: DashboardSettings, logger: Logger): Router {
  return Router().use(pagePolicy, signalsDashboard({ signals: appSignals, logger, ...settings }));
}

// The dashboard answers its own errors as `{ "error": message }`, not in the app's error shape.
const dashboardError = z.strictObject({ error: z.string() });
const errors = (...statuses: [number, string][]): Record<string, ZodOpenApiResponseObject> =>
  Object.fromEntries(statuses.map(([status, description]) => [`${status}`, jsonResponse(description, dashboardError)]));
const tokenRefused: [number, string] = [401, 'SIGNALS_DASHBOARD_TOKEN is set and the request does not carry it as a Bearer token'];
const brokerDown: [number, string] = [503, 'The broker could not be reached'];

const error = z.object({ name: z.string(), message: z.string(), stack: z.string().optional() });
const deadLetter = z
  .object({
    id: z.string().meta({ description: 'Names it for replay and delete: the Redis entry id, or a hash of the RabbitMQ message' }),
    signal: z.string(),
    receiver: z.string().meta({ description: 'The receiver whose last attempt failed; a replay re-delivers to it alone' }),
    messageId: z.string().optional().meta({ description: 'The envelope id, kept by a replay; absent for a message that was not an envelope' }),
    attempts: z.int(),
    error,
    deadLetteredAt: z.iso.datetime().optional(),
    envelope: z.object({ id: z.string(), signal: z.string(), payload: z.unknown(), attempt: z.int() }).optional(),
    raw: z.string().optional().meta({ description: 'The message as read, when it was not a signal envelope' }),
  })
  .meta({ id: 'DeadLetter' });

const receiverFigures = z.object({
  signal: z.string(),
  receiver: z.string(),
  runsPerSecond: z.number(),
  failuresPerSecond: z.number(),
  p50Ms: z.number().optional(),
  p95Ms: z.number().optional(),
  runs: z.int(),
  failures: z.int(),
});
const dashboardState = z
  .object({
    description: z.string().optional(),
    readOnly: z.boolean(),
    kind: z.enum(['broker', 'in-process']),
    signals: z.array(
      z.object({
        signal: z.string(),
        destination: z.string().optional(),
        receivers: z.array(z.object({ name: z.string(), waiting: z.int().optional(), inProgress: z.int().optional() })),
      }),
    ),
    stats: z
      .object({
        windowSeconds: z.int(),
        sent: z.record(z.string(), z.object({ perSecond: z.number(), total: z.int(), refused: z.int() })),
        receivers: z.array(receiverFigures),
        failures: z.array(
          z.object({
            signal: z.string(),
            receiver: z.string(),
            error: z.string(),
            count: z.int(),
            lastAt: z.iso.datetime(),
            lastMessageId: z.string().optional(),
            lastOutcome: z.string(),
          }),
        ),
      })
      .meta({ description: "This process's live figures: rates over the last minute, durations of the last 512 runs" }),
    deadLetters: z.object({ count: z.int(), destination: z.string() }).optional(),
    outbox: z.object({ pending: z.int(), lagMs: z.number().optional() }).optional(),
    problem: z.string().optional().meta({ description: 'Why some figures are missing: the broker or the database did not answer' }),
  })
  .meta({ id: 'DashboardState' });

const api = (operation: ZodOpenApiOperationObject): ZodOpenApiOperationObject => ({
  tags: ['signals dashboard'],
  security: [{ dashboardToken: [] }, {}],
  ...operation,
});
const writeRefused: [number, string][] = [
  [400, 'The filter is empty (send `"all": true` for every dead letter), has an unknown field, or the body is not JSON'],
  tokenRefused,
  [403, 'The dashboard is read-only'],
  [409, 'The backend is in-process: there are no dead letters'],
  [413, 'The body is over 100 kB'],
  [415, 'The body is not application/json'],
  brokerDown,
];

/** The operations of {@link signalsDashboardRouter}, mounted at `/signals`; documented only where it is mounted. */
export const signalsDashboardPaths: ZodOpenApiPathsObject = {
  '/signals': {
    get: {
      tags: ['signals dashboard'],
      summary: 'The signals dashboard: a page, at /signals/ (this path redirects there)',
      operationId: 'signalsDashboardPage',
      responses: {
        200: { description: 'The page (HTML); its figures come from the API below', content: { 'text/html': { schema: z.string() } } },
        301: { description: 'To `/signals/`, where the page resolves its script and API' },
      },
    },
  },
  '/signals/app.js': {
    get: {
      tags: ['signals dashboard'],
      summary: "The dashboard page's script",
      operationId: 'signalsDashboardScript',
      responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
    },
  },
  '/signals/api/state': {
    get: api({
      summary: 'The wiring, live figures, dead-letter count and outbox lag',
      operationId: 'signalsDashboardState',
      responses: { 200: jsonResponse('The state', dashboardState), ...errors(tokenRefused) },
    }),
  },
  '/signals/api/dead-letters': {
    get: api({
      summary: 'The dead letters that match the query, newest first',
      operationId: 'listDeadLetters',
      requestParams: { query: deadLetterListQuerySchema },
      responses: {
        200: jsonResponse('The dead letters', z.array(deadLetter)),
        ...errors([400, 'The query does not match its schema'], tokenRefused, [409, 'The backend is in-process: there are no dead letters'], brokerDown),
      },
    }),
  },
  '/signals/api/dead-letters/replay': {
    post: api({
      summary: 'Send the matching dead letters again, to the receiver that failed alone, with the same message id, and remove them',
      operationId: 'replayDeadLetters',
      requestBody: requestJson(deadLetterFilterSchema),
      responses: {
        200: jsonResponse(
          'How many were replayed, and those left in place with why',
          z.object({ replayed: z.int(), skipped: z.array(z.object({ id: z.string(), reason: z.string() })) }),
        ),
        ...errors(...writeRefused),
      },
    }),
  },
  '/signals/api/dead-letters/delete': {
    post: api({
      summary: 'Remove the matching dead letters',
      operationId: 'deleteDeadLetters',
      requestBody: requestJson(deadLetterFilterSchema),
      responses: { 200: jsonResponse('How many were removed', z.object({ deleted: z.int() })), ...errors(...writeRefused) },
    }),
  },
};
