// @ts-check
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

/**
 * A Stryker ignorer for the API document (`ignorers: ['api-document']` in stryker.config.mjs):
 * the arguments of zod's `.meta()` (descriptions, examples, schema ids) and the values declared
 * as `ZodOpenApi*` objects (the operations of each router). Their shape is checked by
 * test/openapi.test.ts (a valid OpenAPI 3.1 document, one operation per route, every answer
 * matching its documented schema); their wording is documentation, not behaviour, and each of
 * them would be a static mutant that reloads every suite.
 *
 * @typedef {{ type: string; [key: string]: any }} Node
 * @typedef {{ node: Node; parent: Node; key: string | number | null; listKey?: string }} Path
 */

/** @param {Path} path */
function isMetaArgument(path) {
  const { parent } = path;
  return (
    path.listKey === 'arguments' &&
    parent.type === 'CallExpression' &&
    parent.callee.type === 'MemberExpression' &&
    parent.callee.property.type === 'Identifier' &&
    parent.callee.property.name === 'meta'
  );
}

/** @param {Path} path */
function isOpenApiDeclaration(path) {
  const { parent } = path;
  if (path.key !== 'init' || parent.type !== 'VariableDeclarator') return false;
  const type = parent.id.typeAnnotation?.typeAnnotation;
  return type?.type === 'TSTypeReference' && type.typeName.type === 'Identifier' && type.typeName.name.startsWith('ZodOpenApi');
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'api-document', {
    /** @param {Path} path */
    shouldIgnore(path) {
      if (isMetaArgument(path)) return 'API document: .meta() of a schema';
      if (isOpenApiDeclaration(path)) return 'API document: a ZodOpenApi object';
      return undefined;
    },
  }),
];
