import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import type { oas31, ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { pagePolicy } from '../middleware/page-policy.js';
import { errorResponses, jsonResponse } from './openapi-parts.js';

const docsOptions: swaggerUi.SwaggerUiOptions = {
  customSiteTitle: 'express-signals API',
  // Relative to the page, which is at `/docs/` (the asset middleware redirects `/docs` there),
  // so that it also resolves under a prefix a proxy may add.
  swaggerUrl: '../openapi.json',
  // No badge from the online validator: the page loads nothing from elsewhere.
  swaggerOptions: { validatorUrl: null },
};

/**
 * `GET /openapi.json`: `document`. `GET /docs`: Swagger UI over it, with its assets served from
 * here (no CDN) under the app's Content-Security-Policy.
 */
export function openApiRouter(document: oas31.OpenAPIObject): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/docs', pagePolicy, ...swaggerUi.serveFiles(undefined, docsOptions));
  router.get('/docs', swaggerUi.setup(undefined, docsOptions));
  return answerOtherMethods(router);
}

/** The operations of {@link openApiRouter}. */
export const openApiPaths: ZodOpenApiPathsObject = {
  '/openapi.json': {
    get: {
      tags: ['docs'],
      summary: 'This document (OpenAPI 3.1)',
      operationId: 'openApiDocument',
      responses: { 200: jsonResponse('The document', z.looseObject({ openapi: z.string() })), ...errorResponses() },
    },
  },
  '/docs': {
    get: {
      tags: ['docs'],
      summary: 'This document as interactive docs (Swagger UI)',
      operationId: 'apiDocs',
      responses: {
        200: { description: 'The page, at `/docs/`', content: { 'text/html': { schema: z.string() } } },
        301: { description: 'From `/docs` to `/docs/`, where the page resolves its assets' },
      },
    },
  },
};
