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
import { usersPaths } from './routes/users.routes.js';

export interface OpenApiOptions {
  /**
   * Whether the development routes (`GET /dev/mailbox`, `POST /dev/reset`) are mounted, and so
   * documented; the container builds both or neither.
   */
  readonly devMailbox: boolean;
}

const DESCRIPTION = `The reference app of express-signals: routes call services, services write in a transaction
and fire signals (\`user.created\`, \`order.placed\`, ...) that listeners act on after the commit.

Every error answers \`{ "error": { "code", "message", "details"? } }\`. Any path answers 405 with
\`Allow\` to a method it has no operation for, and \`OPTIONS\` with 204 and \`Allow\`. Every response
carries \`X-Request-Id\` (yours, if you send a well-formed one). Money is integer cents.`;

// Built once per variant: it takes milliseconds, and tests build an app per test.
const built = new Map<boolean, oas31.OpenAPIObject>();

/**
 * The OpenAPI 3.1 document of the app, generated from the zod schemas the routes validate their
 * input with and the response schemas declared next to them (`*Paths` beside each router).
 * Built on first use per variant and shared afterwards; no I/O.
 */
export function buildOpenApiDocument({ devMailbox }: OpenApiOptions): oas31.OpenAPIObject {
  let document = built.get(devMailbox);
  if (document === undefined) built.set(devMailbox, (document = createOpenApiDocument(devMailbox)));
  return document;
}

/** The operations of every router `createApp` mounts, with their zod schemas. */
export function documentedPaths({ devMailbox }: OpenApiOptions): ZodOpenApiPathsObject {
  return {
    ...usersPaths,
    ...ordersPaths,
    ...productsPaths,
    ...auditEventsPaths,
    ...healthPaths,
    ...metricsPaths,
    ...(devMailbox ? { ...devMailboxPaths, ...devResetPaths } : {}),
    ...openApiPaths,
  };
}

function createOpenApiDocument(devMailbox: boolean): oas31.OpenAPIObject {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'express-signals reference app', version: '1', description: DESCRIPTION },
    paths: documentedPaths({ devMailbox }),
    components: { responses: { MethodNotAllowed: methodNotAllowedResponse } },
  });
}
