import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import type { z } from 'zod';
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import type { App } from '../src/app.js';
import { ServiceUnavailableError } from '../src/errors.js';
import { errorBody } from '../src/middleware/error-handler.js';
import { buildOpenApiDocument, documentedPaths } from '../src/openapi.js';
import { buildTestApp, useTestApp } from './support/test-app.js';

interface RouterLike {
  stack: { route?: { path: unknown; methods: Record<string, boolean> }; handle: unknown; rawPath?: unknown }[];
}

function isRouter(handle: unknown): handle is RouterLike {
  return typeof handle === 'function' && Array.isArray((handle as Partial<RouterLike>).stack);
}

// `/users` + `/:id` -> `/users/{id}`; a router mounted without a path adds nothing.
function joinPath(prefix: string, path: unknown): string {
  if (typeof path !== 'string') throw new Error(`A route or mount path that is not a string: ${String(path)}`);
  return `${prefix}${path === '/' ? '' : path}`.replace(/:(\w+)/g, '{$1}');
}

/** `METHOD /path` for every route of `router` and the routers mounted in it, as OpenAPI spells paths. */
function servedOperations(router: RouterLike, prefix = ''): string[] {
  const found: string[] = [];
  for (const layer of router.stack) {
    if (layer.route !== undefined) {
      // `_all` is answerOtherMethods' 405 for the methods a path has no route for.
      const methods = Object.keys(layer.route.methods).filter((method) => method !== '_all');
      const path = joinPath(prefix, layer.route.path) || '/';
      found.push(...methods.map((method) => `${method.toUpperCase()} ${path}`));
    } else if (isRouter(layer.handle)) {
      found.push(...servedOperations(layer.handle, joinPath(prefix, layer.rawPath)));
    }
  }
  return found;
}

function documentedOperations(document: { paths?: Record<string, object> }): string[] {
  const toOperations = ([path, item]: [string, object]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`);
  return Object.entries(document.paths ?? {}).flatMap(toOperations).sort();
}

/** What `app` serves, and what the document `createApp` gave it lists. */
function operationsOf(app: App): { served: string[]; documented: string[] } {
  const served = servedOperations(app.router as unknown as RouterLike).sort();
  const options = { devMailbox: served.includes('GET /dev/mailbox'), dashboard: served.includes('GET /signals') };
  return { served, documented: documentedOperations(buildOpenApiDocument(options)) };
}

describe('buildOpenApiDocument()', () => {
  for (const [devMailbox, dashboard] of [[true, true], [false, false], [false, true]] as const) {
    it(`when validated as OpenAPI 3.1 (devMailbox: ${devMailbox}, dashboard: ${dashboard}), then it is valid and every $ref resolves`, async () => {
      const validator = new Validator();
      // A copy: the document is shared by every app.
      const result = await validator.validate(JSON.parse(JSON.stringify(buildOpenApiDocument({ devMailbox, dashboard }))) as Record<string, unknown>);
      expect(result.errors).to.equal(undefined);
      expect(result.valid).to.equal(true);
      expect(validator.version).to.equal('3.1');
      expect(() => validator.resolveRefs()).not.to.throw();
    });
  }

  it('when an operation has a JSON body, then the schema carries what the route validates: strict, required fields, limits', () => {
    const schemas = buildOpenApiDocument({ devMailbox: false, dashboard: false }).components?.schemas ?? {};
    expect(schemas.NewUser).to.deep.include({ additionalProperties: false, required: ['email', 'name', 'password'] });
    expect(schemas.NewUser).to.have.nested.property('properties.password').that.includes({ minLength: 8, maxLength: 200 });
    expect(schemas.UserChanges).to.deep.include({ additionalProperties: false, minProperties: 1 });
  });

  describe('in development (dev mailbox mounted)', () => {
    const t = useTestApp();

    it('when the app serves a route, then the document has its operation, and documents no other', () => {
      const { served, documented } = operationsOf(t().app);
      expect(served).to.include('GET /dev/mailbox');
      expect(served).to.include('POST /signals/api/dead-letters/replay');
      expect(served).to.include('POST /orders/{id}/ship');
      expect(documented).to.deep.equal(served);
    });
  });

  describe('in production (no dev mailbox)', () => {
    it('when the app serves a route, then the document has its operation, and leaves the mailbox out', async () => {
      const production = await buildTestApp({ env: { NODE_ENV: 'production' } });
      try {
        const { served, documented } = operationsOf(production.app);
        expect(served).not.to.include('GET /dev/mailbox');
        expect(served).not.to.include('GET /signals');
        expect(documented).to.deep.equal(served);
      } finally {
        await production.close();
      }
    });
  });
});

type Method = 'get' | 'post' | 'patch' | 'delete';

/** The zod schema the document gives for `status` of `method path`, or an error if it gives none. */
function documentedSchema(paths: ZodOpenApiPathsObject, method: Method, path: string, status: number): z.ZodType | undefined {
  const responses = (paths[path as `/${string}`]?.[method]?.responses ?? {}) as Record<string, ZodOpenApiResponseObject | undefined>;
  const response = responses[String(status)];
  if (response === undefined) throw new Error(`${method.toUpperCase()} ${path} does not document ${status}`);
  return response.content?.['application/json']?.schema as z.ZodType | undefined;
}

describe('the documented responses', () => {
  const t = useTestApp();
  const paths = documentedPaths({ devMailbox: true, dashboard: true });

  /** Asserts that `response` has a status the document lists for the operation, and a body its schema accepts. */
  function expectDocumented(method: Method, path: string, response: request.Response): void {
    const schema = documentedSchema(paths, method, path, response.status);
    if (schema === undefined) {
      expect(response.text, `${method.toUpperCase()} ${path} ${response.status} has no documented body`).to.equal('');
      return;
    }
    const parsed = schema.safeParse(response.body);
    expect(parsed.error?.issues ?? [], `${method.toUpperCase()} ${path} ${response.status}`).to.deep.equal([]);
  }

  it('when the happy path of every operation runs, then each answer has a documented status and matches its schema', async () => {
    const app = t().app;
    const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };
    const order = { customerEmail: ada.email, items: [{ sku: 'GADGET-1', quantity: 1 }] };
    expectDocumented('post', '/users', await request(app).post('/users').send(ada).expect(201));
    expectDocumented('get', '/users', await request(app).get('/users').expect(200));
    expectDocumented('get', '/users/{id}', await request(app).get('/users/1').expect(200));
    expectDocumented('patch', '/users/{id}', await request(app).patch('/users/1').send({ name: 'Ada L' }).expect(200));
    expectDocumented('post', '/orders', await request(app).post('/orders').send(order).expect(201));
    expectDocumented('get', '/orders/{id}', await request(app).get('/orders/1').expect(200));
    expectDocumented('post', '/orders/{id}/ship', await request(app).post('/orders/1/ship').send({ trackingNumber: 'TRK-1' }).expect(200));
    await request(app).post('/orders').send(order).expect(201);
    expectDocumented('post', '/orders/{id}/cancel', await request(app).post('/orders/2/cancel').expect(200));
    expectDocumented('get', '/products', await request(app).get('/products').expect(200));
    expectDocumented('get', '/audit-events', await request(app).get('/audit-events?entity=order&entityId=1').expect(200));
    expectDocumented('get', '/dev/mailbox', await request(app).get('/dev/mailbox').expect(200));
    expectDocumented('get', '/health', await request(app).get('/health').expect(200));
    expectDocumented('get', '/ready', await request(app).get('/ready').expect(200));
    expectDocumented('get', '/openapi.json', await request(app).get('/openapi.json').expect(200));
    const change = { currentPassword: ada.password, newPassword: 'battery staple' };
    expectDocumented('post', '/users/{id}/password', await request(app).post('/users/1/password').send(change).expect(204));
    expectDocumented('delete', '/users/{id}', await request(app).delete('/users/1').expect(204));
    expectDocumented('post', '/dev/reset', await request(app).post('/dev/reset').expect(204));
  });

  it('when requests fail, then each error has a documented status and the documented error shape', async () => {
    const app = t().app;
    const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };
    await request(app).post('/users').send(ada).expect(201);
    expectDocumented('post', '/users', await request(app).post('/users').send({ ...ada, isAdmin: true }).expect(400));
    expectDocumented('post', '/users', await request(app).post('/users').send(ada).expect(409));
    expectDocumented('post', '/users', await request(app).post('/users').set('Content-Type', 'text/plain').send('hi').expect(415));
    expectDocumented('post', '/users', await request(app).post('/users').send({ ...ada, name: 'x'.repeat(200_000) }).expect(413));
    expectDocumented('get', '/users/{id}', await request(app).get('/users/0').expect(400));
    expectDocumented('get', '/users/{id}', await request(app).get('/users/99').expect(404));
    const wrongPassword = { currentPassword: 'not it at all', newPassword: 'battery staple' };
    expectDocumented('post', '/users/{id}/password', await request(app).post('/users/1/password').send(wrongPassword).expect(403));
    const orderOf = (sku: string, quantity: number) => ({ customerEmail: ada.email, items: [{ sku, quantity }] });
    expectDocumented('post', '/orders', await request(app).post('/orders').send(orderOf('NOPE', 1)).expect(400));
    expectDocumented('post', '/orders', await request(app).post('/orders').send(orderOf('GADGET-1', 1000)).expect(409));
    await request(app).post('/orders').send(orderOf('GADGET-1', 1)).expect(201);
    await request(app).post('/orders/1/cancel').expect(200);
    expectDocumented('post', '/orders/{id}/ship', await request(app).post('/orders/1/ship').send({ trackingNumber: 'T' }).expect(409));
    sinon.stub(t().container.users, 'list').rejects(new ServiceUnavailableError('The database is unavailable'));
    expectDocumented('get', '/users', await request(app).get('/users').expect(503));
  });

  it('when a path is asked with a method it has no operation for, then the 405 has the documented error shape', async () => {
    const response = await request(t().app).put('/users').send({}).expect(405);
    const { components } = buildOpenApiDocument({ devMailbox: true, dashboard: true });
    expect(components?.responses).to.have.property('MethodNotAllowed');
    expect(errorBody.parse(response.body).error.code).to.equal('method_not_allowed');
  });
});
