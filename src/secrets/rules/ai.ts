import { category } from './define.js';
import type { SecretSpec } from '../types.js';

// AI model providers not in services.ts.
const { key, shape } = category('ai');

export const aiRules: SecretSpec[] = [
  key(
    'cohere-api-token',
    'Cohere API key',
    ['cohere', 'co_api_key'],
    '[a-zA-Z0-9]{40}',
    'https://docs.cohere.com/reference/about',
    {
      entropy: 4,
    },
  ),
  shape(
    'perplexity-api-key',
    'Perplexity API key',
    'pplx-[A-Za-z0-9]{48}',
    ['pplx-'],
    'https://docs.perplexity.ai/guides/getting-started',
    {
      entropy: 4,
    },
  ),
  key(
    'privateai-api-token',
    'Private AI API key',
    ['privateai', 'private_ai', 'private-ai'],
    '[a-z0-9]{32}',
    'https://docs.private-ai.com/',
    {
      key: 'private[_-]?ai',
      entropy: 3,
    },
  ),
];
