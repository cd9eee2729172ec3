import { Router } from 'express';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { z } from 'zod';
import { emailAddress, idParams, validate } from '../middleware/validate.js';
import type { OrderService } from '../services/order.service.js';

const placeOrderBody = z.strictObject({
  customerEmail: emailAddress,
  items: z
    .array(z.strictObject({ sku: z.string().min(1).max(64), quantity: z.number().int().min(1).max(1000) }))
    .min(1)
    .max(50),
});

const shipOrderBody = z.strictObject({ trackingNumber: z.string().trim().min(1).max(100) });

export function ordersRouter(orders: OrderService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    res.status(201).json(await orders.create(validate(placeOrderBody, req.body)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await orders.findOrFail(validate(idParams, req.params, 'params').id));
  });
  router.post('/:id/ship', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.json(await orders.ship(id, validate(shipOrderBody, req.body).trackingNumber));
  });
  router.post('/:id/cancel', async (req, res) => {
    res.json(await orders.cancel(validate(idParams, req.params, 'params').id));
  });
  return answerOtherMethods(router);
}
