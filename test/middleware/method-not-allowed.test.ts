import { expect } from 'chai';
import express, { Router } from 'express';
import request from 'supertest';
import { createLogger } from '../../src/logger.js';
import { errorHandler } from '../../src/middleware/error-handler.js';
import { answerOtherMethods } from '../../src/middleware/method-not-allowed.js';
import { MemoryTransport } from '../support/memory-transport.js';

describe('answerOtherMethods()', () => {
  it('when the router also has middleware of its own, then only its routes answer 405 and the middleware still runs', async () => {
    const router = Router();
    router.use((_req, res, next) => {
      res.setHeader('X-Catalogue', 'v2');
      next();
    });
    router.get('/items', (_req, res) => {
      res.json([]);
    });
    const app = express();
    app.use('/shop', answerOtherMethods(router));
    app.use(errorHandler(createLogger({ transports: [new MemoryTransport()] })));

    const allowed = await request(app).get('/shop/items').expect(200);
    expect(allowed.get('X-Catalogue')).to.equal('v2');
    const refused = await request(app).delete('/shop/items').expect(405);
    expect(refused.get('Allow')).to.equal('GET, HEAD');
    expect(refused.body).to.deep.equal({ error: { code: 'method_not_allowed', message: 'This path answers GET, HEAD' } });
  });
});
