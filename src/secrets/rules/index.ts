import type { SecretSpec } from '../types.js';
import { aiRules } from './ai.js';
import { chatRules } from './chat.js';
import { cloudRules } from './cloud.js';
import { codeHostingRules } from './code-hosting.js';
import { databaseRules } from './databases.js';
import { devtoolRules } from './devtools.js';
import { financeRules } from './finance.js';
import { genericRules } from './generic.js';
import { keyRules } from './keys.js';
import { packageRules } from './packages.js';
import { paymentRules } from './payments.js';
import { saasRules } from './saas.js';
import { serviceRules } from './services.js';
import { socialRules } from './social.js';

/** Every secret rule, sorted by id. */
export const SECRET_RULES: readonly SecretSpec[] = [
  ...aiRules,
  ...chatRules,
  ...cloudRules,
  ...codeHostingRules,
  ...databaseRules,
  ...devtoolRules,
  ...financeRules,
  ...genericRules,
  ...keyRules,
  ...packageRules,
  ...paymentRules,
  ...saasRules,
  ...serviceRules,
  ...socialRules,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
