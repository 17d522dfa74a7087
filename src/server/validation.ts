/**
 * Request validation with two ajv instances: querystrings, path parameters and headers arrive as
 * text, so they are coerced to the types their schemas declare ("5" → 5); a JSON body has types
 * of its own, so it is never coerced (a string "5" where a number is required is a 400, not a 5).
 * fastify's single `ajv.customOptions` would coerce both.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// fastify's own defaults (@fastify/ajv-compiler), except removeAdditional: refuse, never drop
const common: Options = {
  useDefaults: true,
  removeAdditional: false,
  addUsedSchema: false,
  allErrors: false,
};

export function requestValidatorCompiler(): FastifySchemaCompiler<object> {
  const text = new Ajv({ ...common, coerceTypes: 'array' });
  const body = new Ajv({ ...common, coerceTypes: false });
  addFormats(text);
  addFormats(body);
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema);
}
