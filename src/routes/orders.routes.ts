import { Router } from 'express';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { z } from 'zod';
import { emailAddress, idParams, validate } from '../middleware/validate.js';
import type { OrderService } from '../services/order.service.js';
import { BODY_ERRORS, errorResponses, jsonResponse, requestJson, storedId, timestamp } from './openapi-parts.js';

const sku = z.string().min(1).max(64).meta({ example: 'GADGET-1' });

const placeOrderBody = z
  .strictObject({
    customerEmail: emailAddress,
    items: z.array(z.strictObject({ sku, quantity: z.number().int().min(1).max(1000) })).min(1).max(50),
  })
  .meta({ id: 'NewOrder' });

const shipOrderBody = z.strictObject({ trackingNumber: z.string().trim().min(1).max(100) }).meta({ id: 'Shipment' });

const order = z
  .strictObject({
    id: storedId,
    status: z.enum(['placed', 'shipped', 'canceled']),
    customerEmail: z.email(),
    items: z.array(z.strictObject({ sku: z.string(), quantity: z.int().min(1), unitPrice: z.int().min(0) })),
    total: z.int().min(0).meta({ description: 'Integer cents' }),
    paymentId: z.string(),
    trackingNumber: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Order', description: 'An order; prices are integer cents, `unitPrice` as it was when the order was placed' });

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

const NOT_PLACED = [409, 'conflict: the order is no longer `placed` (of a racing ship and cancel, exactly one wins)'] as const;

/** The operations of {@link ordersRouter}, mounted at `/orders`, with the schemas it validates with. */
export const ordersPaths: ZodOpenApiPathsObject = {
  '/orders': {
    post: {
      tags: ['orders'],
      summary: 'Place an order: reserve the stock and take the payment (fires order.placed)',
      operationId: 'placeOrder',
      requestBody: requestJson(placeOrderBody),
      responses: {
        201: jsonResponse('The order, `placed`', order),
        ...errorResponses(
          [400, 'validation_failed: the input does not match the schema, or a sku is unknown (`details.unknownSkus`)'],
          ...BODY_ERRORS.slice(1),
          [409, 'conflict: not enough stock for a sku'],
          503,
        ),
      },
    },
  },
  '/orders/{id}': {
    get: {
      tags: ['orders'],
      summary: 'Get an order',
      operationId: 'getOrder',
      requestParams: { path: idParams },
      responses: { 200: jsonResponse('The order', order), ...errorResponses(400, 404, 503) },
    },
  },
  '/orders/{id}/ship': {
    post: {
      tags: ['orders'],
      summary: 'Ship a placed order (fires order.shipped)',
      operationId: 'shipOrder',
      requestParams: { path: idParams },
      requestBody: requestJson(shipOrderBody),
      responses: { 200: jsonResponse('The order, `shipped`', order), ...errorResponses(...BODY_ERRORS, 404, NOT_PLACED, 503) },
    },
  },
  '/orders/{id}/cancel': {
    post: {
      tags: ['orders'],
      summary: 'Cancel a placed order and release its stock (fires order.canceled)',
      operationId: 'cancelOrder',
      requestParams: { path: idParams },
      responses: { 200: jsonResponse('The order, `canceled`', order), ...errorResponses(400, 404, NOT_PLACED, 503) },
    },
  },
};
