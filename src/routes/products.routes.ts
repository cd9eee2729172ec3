import { Router } from 'express';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import type { ProductService } from '../services/product.service.js';
import { errorResponses, jsonResponse } from './openapi-parts.js';

const product = z
  .strictObject({
    sku: z.string(),
    name: z.string(),
    price: z.int().min(0).meta({ description: 'Integer cents' }),
    onHand: z.int().min(0),
    reserved: z.int().min(0).meta({ description: 'Held by placed orders' }),
    available: z.int().min(0).meta({ description: '`onHand - reserved`: what can still be ordered' }),
  })
  .meta({ id: 'Product' });

export function productsRouter(products: ProductService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await products.list());
  });
  return answerOtherMethods(router);
}

/** The operations of {@link productsRouter}, mounted at `/products`. */
export const productsPaths: ZodOpenApiPathsObject = {
  '/products': {
    get: {
      tags: ['products'],
      summary: 'List the products and their stock, by sku',
      operationId: 'listProducts',
      responses: { 200: jsonResponse('Every product', z.array(product)), ...errorResponses(503) },
    },
  },
};
