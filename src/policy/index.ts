export { POLICY_RULES, policySchema } from './schema.js';
export type { Policy, PolicyException, PolicyRuleId, CertificateRequirement } from './schema.js';
export { loadPolicy, parsePolicy } from './load.js';
export type { LoadedPolicy } from './load.js';
export { evaluatePolicy } from './evaluate.js';
export type {
  PolicyDecision,
  PolicyViolation,
  ExceptedViolation,
  AppliedException,
  FactsLookup,
  EvaluateOptions,
} from './evaluate.js';
export { FactsIndex, factsFromReport, reportNames, exploitProbability } from './facts.js';
export type { ImageFacts, VulnFact, SignatureFact } from './facts.js';
export { subjectFromObject, subjectFromImage } from './subject.js';
export type { PolicySubject, SubjectContainer } from './subject.js';
export { trustPoliciesOf, signatureFact } from './trust.js';
export { checkPolicyPaths } from './check.js';
export type { PolicyCheckResult, PolicyCheckOptions, PolicyInputError } from './check.js';
export { renderPolicyTable, renderPolicyJson, renderPolicySarif, POLICY_RULE_INFO } from './render.js';
export { globMatch, imageMatches, repositoryOf } from './patterns.js';
