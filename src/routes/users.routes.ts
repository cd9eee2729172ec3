import { Router } from 'express';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { z } from 'zod';
import { emailAddress, idParams, validate } from '../middleware/validate.js';
import type { UserService } from '../services/user.service.js';

const createUserBody = z.strictObject({
  email: emailAddress,
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8).max(200),
});

const updateUserBody = z
  .strictObject({
    email: emailAddress.optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'must name at least one of: email, name');

const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export function usersRouter(users: UserService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    res.status(201).json(await users.create(validate(createUserBody, req.body)));
  });
  router.get('/', async (req, res) => {
    res.json(await users.list(validate(pageQuery, req.query, 'query')));
  });
  router.get('/:id', async (req, res) => {
    res.json(await users.findOrFail(validate(idParams, req.params, 'params').id));
  });
  router.patch('/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.json(await users.update(id, validate(updateUserBody, req.body)));
  });
  router.delete('/:id', async (req, res) => {
    await users.delete(validate(idParams, req.params, 'params').id);
    res.status(204).end();
  });
  return answerOtherMethods(router);
}
