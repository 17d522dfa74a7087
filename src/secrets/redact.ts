/** Keeps at most the first 4 characters of a secret (fewer for short ones), then `*****`. */
export function redact(secret: string): string {
  return `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}*****`;
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s.length) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
