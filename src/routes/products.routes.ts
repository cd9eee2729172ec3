import { Router } from 'express';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import type { ProductService } from '../services/product.service.js';

export function productsRouter(products: ProductService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await products.list());
  });
  return answerOtherMethods(router);
}
