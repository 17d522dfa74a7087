/** JSON Schemas shared by the routes (fastify validates with them; the OpenAPI document shows them). */
export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } },
} as const;

export const paging = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  offset: { type: 'integer', minimum: 0, maximum: 2147483647, default: 0 },
} as const;

export const nullableString = { type: ['string', 'null'] } as const;

export const userSchema = {
  type: 'object',
  required: ['id', 'username', 'role', 'totpEnabled', 'disabled', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: { enum: ['admin', 'analyst', 'viewer'] },
    totpEnabled: { type: 'boolean' },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const;

export function userView(u: {
  id: number;
  username: string;
  role: 'admin' | 'analyst' | 'viewer';
  totp_enabled: number;
  disabled: number;
  created_at: string;
}) {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    totpEnabled: Boolean(u.totp_enabled),
    disabled: Boolean(u.disabled),
    createdAt: u.created_at,
  };
}
