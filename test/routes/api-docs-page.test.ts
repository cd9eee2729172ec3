import { expect } from 'chai';
import request from 'supertest';
import type { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { documentedPaths } from '../../src/openapi.js';
import { useTestApp } from '../support/test-app.js';

describe('the API docs', () => {
  const t = useTestApp();

  it('when /docs/ is opened, then the browser tab says express-signals API', async () => {
    const page = await request(t().app).get('/docs/').expect(200);
    expect(page.text).to.contain('<title>express-signals API</title>');
  });

  it('when the page starts Swagger UI, then it asks no online validator for a badge', async () => {
    const init = await request(t().app).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).to.match(/"validatorUrl": null/);
  });

  it('when an order of several units is placed, then the answer matches the documented order', async () => {
    const body = { customerEmail: 'ada@example.com', items: [{ sku: 'WIDGET-1', quantity: 3 }] };
    const response = await request(t().app).post('/orders').send(body).expect(201);
    const documented = documentedPaths({ devMailbox: true, dashboard: true })['/orders']?.post?.responses?.['201'] as ZodOpenApiResponseObject;
    const schema = documented.content?.['application/json']?.schema as z.ZodType;
    expect(schema.safeParse(response.body).error?.issues ?? []).to.deep.equal([]);
  });
});
