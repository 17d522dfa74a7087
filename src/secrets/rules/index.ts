import type { SecretSpec } from '../types.js';
import { chatRules } from './chat.js';
import { cloudRules } from './cloud.js';
import { codeHostingRules } from './code-hosting.js';
import { databaseRules } from './databases.js';
import { genericRules } from './generic.js';
import { keyRules } from './keys.js';
import { packageRules } from './packages.js';
import { paymentRules } from './payments.js';
import { serviceRules } from './services.js';

/** Every secret rule, sorted by id. */
export const SECRET_RULES: readonly SecretSpec[] = [
  ...chatRules,
  ...cloudRules,
  ...codeHostingRules,
  ...databaseRules,
  ...genericRules,
  ...keyRules,
  ...packageRules,
  ...paymentRules,
  ...serviceRules,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
