/**
 * Errors the API answers with: an HTTP status and a stable code, as `{"error":{"code","message"}}`.
 * Clients (and tests) branch on `code`, never on the message.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthorized = (message = 'sign in or send a bearer token') =>
  new HttpError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = 'your role or token scope does not allow this') =>
  new HttpError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `no such ${what}`);
export const badRequest = (code: string, message: string, details?: unknown) =>
  new HttpError(400, code, message, details);

/** The error body every route may answer with (also in the OpenAPI document). */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
      },
    },
  },
} as const;
