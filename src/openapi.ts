import { createDocument, type oas31, type ZodOpenApiPathsObject } from 'zod-openapi';
import { auditEventsPaths } from './routes/audit-events.routes.js';
import { devMailboxPaths } from './routes/dev-mailbox.routes.js';
import { devResetPaths } from './routes/dev-reset.routes.js';
import { healthPaths } from './routes/health.routes.js';
import { metricsPaths } from './routes/metrics.routes.js';
import { methodNotAllowedResponse } from './routes/openapi-parts.js';
import { openApiPaths } from './routes/openapi.routes.js';
import { ordersPaths } from './routes/orders.routes.js';
import { productsPaths } from './routes/products.routes.js';
import { signalsDashboardPaths } from './routes/signals-dashboard.routes.js';
import { usersPaths } from './routes/users.routes.js';

export interface OpenApiOptions {
  /**
   * Whether the development routes (`GET /dev/mailbox`, `POST /dev/reset`) are mounted, and so
   * documented; the container builds both or neither.
   */
  readonly devMailbox: boolean;
  /** Whether the signals dashboard is mounted at `/signals` (`SIGNALS_DASHBOARD` is not `off`). */
  readonly dashboard: boolean;
}

const DESCRIPTION = `The reference app of express-signals: routes call services, services write in a transaction
and fire signals (\`user.created\`, \`order.placed\`, ...) that listeners act on after the commit.

Every error answers \`{ "error": { "code", "message", "details"? } }\`. Any path answers 405 with
\`Allow\` to a method it has no operation for, and \`OPTIONS\` with 204 and \`Allow\`. Every response
carries \`X-Request-Id\` (yours, if you send a well-formed one). Money is integer cents. The signals
dashboard under \`/signals\`, where it is served, is a router of the signals library: it answers its own
errors as \`{ "error": message }\` and a method it does not serve with 404.`;

// Built once per variant: it takes milliseconds, and tests build an app per test.
const built = new Map<string, oas31.OpenAPIObject>();

/**
 * The OpenAPI 3.1 document of the app, generated from the zod schemas the routes validate their
 * input with and the response schemas declared next to them (`*Paths` beside each router).
 * Built on first use per variant and shared afterwards; no I/O.
 */
export function buildOpenApiDocument(options: OpenApiOptions): oas31.OpenAPIObject {
  const variant = `${options.devMailbox}/${options.dashboard}`;
  let document = built.get(variant);
  if (document === undefined) built.set(variant, (document = createOpenApiDocument(options)));
  return document;
}

/** The operations of every router `createApp` mounts, with their zod schemas. */
export function documentedPaths({ devMailbox, dashboard }: OpenApiOptions): ZodOpenApiPathsObject {
  return {
    ...usersPaths,
    ...ordersPaths,
    ...productsPaths,
    ...auditEventsPaths,
    ...healthPaths,
    ...metricsPaths,
    ...(devMailbox ? { ...devMailboxPaths, ...devResetPaths } : {}),
    ...(dashboard ? signalsDashboardPaths : {}),
    ...openApiPaths,
  };
}

function createOpenApiDocument(options: OpenApiOptions): oas31.OpenAPIObject {
  const dashboardToken = { type: 'http', scheme: 'bearer', description: 'SIGNALS_DASHBOARD_TOKEN, when it is set' } as const;
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'express-signals reference app', version: '1', description: DESCRIPTION },
    paths: documentedPaths(options),
    components: {
      responses: { MethodNotAllowed: methodNotAllowedResponse },
      ...(options.dashboard ? { securitySchemes: { dashboardToken } } : {}),
    },
  });
}
