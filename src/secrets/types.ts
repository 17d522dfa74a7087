import type { Severity } from '../core/types.js';

/**
 * One secret-detection rule as data. The scanner runs `regex` only on text that contains one of
 * `keywords` (case-insensitive), so a rule costs nothing on files that cannot hold its secret.
 * Every regex must be linear-time: bounded quantifiers, no nested quantifiers over overlapping
 * classes (a test feeds each rule adversarial input and bounds its time).
 */
export interface SecretSpec {
  /** rule id without the family prefix (`aws-access-key-id`); the bulwark id is `secrets/<id>` */
  id: string;
  title: string;
  severity: Severity;
  /** other tools' ids: `gitleaks:aws-access-token` */
  aliases: string[];
  /** lower-case substrings; at least one must occur in the text before `regex` runs */
  keywords: string[];
  /** the pattern (flags are ignored except `i`; the scanner adds `g`); absent for a rule about the file itself */
  regex?: RegExp;
  /**
   * the rule applies only to files whose path matches (`\.php$`); with no `regex`, a file whose
   * path matches is itself the finding (a PKCS#12 key store), whatever its content
   */
  path?: RegExp;
  /** runs of six identical characters are part of the format (Dropbox's `AAAAAAAAAA`) */
  allowRuns?: boolean;
  /**
   * capture group holding the secret itself (redacted in output); 0 = the whole match; a list
   * when the pattern's alternatives capture in different groups (the first that took part)
   */
  secretGroup?: number | readonly number[];
  /** lowest Shannon entropy (bits per character) the secret must reach */
  entropy?: number;
  /** known example values that are not secrets (`AKIAIOSFODNN7EXAMPLE`) */
  allow?: readonly string[];
  /** the rule fires only when the text also matches this (a service-account key needs its type) */
  requires?: RegExp;
  /** pure extra check on the secret (a JWT header must decode to JSON, a docker auth to user:pass) */
  validate?: (secret: string) => boolean;
  /**
   * a generic rule's key names (sticky, case-insensitive): at a camelCase hump the name must end
   * the word (`genericToken=`, not `fts5Tokenizer =` or `maxTokens:`)
   */
  keyName?: RegExp;
  /** a catch-all rule: its findings give way to a specific rule's finding on the same secret */
  generic?: boolean;
  /**
   * the rule knows every credential assigned to its vendor's key (`telegram_token = ...`): a
   * value there that does not fit its format is not a secret, and generic rules stay quiet on it
   * (the key is the first of `keywords` that is a plain word)
   */
  ownsKey?: boolean;
  /** specific rules this one replaces when both find the same secret */
  supersedes?: readonly string[];
  category: string;
  references: string[];
  remediation?: string;
}

/** One secret found in a text, always redacted. */
export interface SecretMatch {
  /** bulwark rule id, `secrets/<id>` */
  ruleId: string;
  title: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** the matched text with the secret replaced by its first (at most 4) characters and `*****` */
  match: string;
}
