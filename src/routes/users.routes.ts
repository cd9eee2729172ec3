import { Router } from 'express';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { z } from 'zod';
import { emailAddress, idParams, validate } from '../middleware/validate.js';
import type { UserService } from '../services/user.service.js';
import { BODY_ERRORS, errorResponses, jsonResponse, requestJson, storedId, timestamp } from './openapi-parts.js';

const password = z.string().min(8).max(200).meta({ description: 'Stored as a salted scrypt hash, never returned' });

const createUserBody = z
  .strictObject({
    email: emailAddress,
    name: z.string().trim().min(1).max(100),
    password,
  })
  .meta({ id: 'NewUser' });

// #region guide:change-password-body
const changePasswordBody = z
  .strictObject({ currentPassword: z.string().min(1).max(200), newPassword: password })
  .refine((change) => change.newPassword !== change.currentPassword, {
    message: 'must differ from currentPassword',
    path: ['newPassword'],
  })
  .meta({ id: 'PasswordChange' });
// #endregion

const updateUserBody = z
  .strictObject({
    email: emailAddress.optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'must name at least one of: email, name')
  .meta({ id: 'UserChanges', minProperties: 1 });

const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

const user = z
  .strictObject({ id: storedId, email: z.email(), name: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: 'User', description: 'A user; never the password' });

const userPage = z.strictObject({ items: z.array(user), total: z.int().min(0) }).meta({ id: 'UserPage' });

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
  // #region guide:change-password-route
  router.post('/:id/password', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    await users.changePassword(id, validate(changePasswordBody, req.body));
    res.status(204).end();
  });
  // #endregion
  router.delete('/:id', async (req, res) => {
    await users.delete(validate(idParams, req.params, 'params').id);
    res.status(204).end();
  });
  return answerOtherMethods(router);
}

const EMAIL_TAKEN = [409, 'conflict: a user with this email exists (compared in any case)'] as const;

/** The operations of {@link usersRouter}, mounted at `/users`, with the schemas it validates with. */
export const usersPaths: ZodOpenApiPathsObject = {
  '/users': {
    post: {
      tags: ['users'],
      summary: 'Create a user (fires user.created)',
      operationId: 'createUser',
      requestBody: requestJson(createUserBody),
      responses: { 201: jsonResponse('The user', user), ...errorResponses(...BODY_ERRORS, EMAIL_TAKEN, 503) },
    },
    get: {
      tags: ['users'],
      summary: 'List users in id order',
      operationId: 'listUsers',
      requestParams: { query: pageQuery },
      responses: { 200: jsonResponse('One page of users and how many there are', userPage), ...errorResponses(400, 503) },
    },
  },
  '/users/{id}': {
    get: {
      tags: ['users'],
      summary: 'Get a user',
      operationId: 'getUser',
      requestParams: { path: idParams },
      responses: { 200: jsonResponse('The user', user), ...errorResponses(400, 404, 503) },
    },
    patch: {
      tags: ['users'],
      summary: 'Change the email or the name of a user (fires user.updated)',
      operationId: 'updateUser',
      requestParams: { path: idParams },
      requestBody: requestJson(updateUserBody),
      responses: { 200: jsonResponse('The changed user', user), ...errorResponses(...BODY_ERRORS, 404, EMAIL_TAKEN, 503) },
    },
    delete: {
      tags: ['users'],
      summary: 'Delete a user (fires user.deleted)',
      operationId: 'deleteUser',
      requestParams: { path: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 404, 503) },
    },
  },
  // #region guide:change-password-openapi
  '/users/{id}/password': {
    post: {
      tags: ['users'],
      summary: 'Change the password of a user, given the current one (fires user.password_changed)',
      operationId: 'changePassword',
      requestParams: { path: idParams },
      requestBody: requestJson(changePasswordBody),
      responses: {
        204: { description: 'Changed' },
        ...errorResponses(...BODY_ERRORS, [403, 'wrong_password: `currentPassword` is not the password of the user'], 404, 503),
      },
    },
  },
  // #endregion
};
