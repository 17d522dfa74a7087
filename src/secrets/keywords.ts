/**
 * Aho-Corasick over bytes, case-insensitive for ASCII: one pass over a file's raw bytes tells which
 * rule keywords occur, without decoding or lower-casing the file. Files with no keyword (most of
 * any tree) are never decoded and no regex runs on them.
 */
export class KeywordMatcher {
  /** dense DFA: next state = delta[state * 256 + byte] */
  private readonly delta: Int32Array;
  /** keyword ids ending at each state (through failure links), or undefined */
  private readonly out: (number[] | undefined)[];
  /** 1 where `out` is set: a typed array keeps the hot loop monomorphic */
  private readonly term: Uint8Array;
  readonly size: number;

  constructor(keywords: readonly string[]) {
    this.size = keywords.length;
    const goto: Map<number, number>[] = [new Map()];
    const out: (number[] | undefined)[] = [undefined];
    for (const [id, kw] of keywords.entries()) {
      let s = 0;
      for (const byte of Buffer.from(kw.toLowerCase(), 'utf8')) {
        let next = goto[s]!.get(byte);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          out.push(undefined);
          goto[s]!.set(byte, next);
        }
        s = next;
      }
      (out[s] ??= []).push(id);
    }
    const n = goto.length;
    const delta = new Int32Array(n * 256);
    const fail = new Int32Array(n);
    // breadth-first: a state's failure target is complete before the state itself
    const queue: number[] = [];
    for (let b = 0; b < 256; b++) {
      const t = goto[0]!.get(b);
      if (t !== undefined) {
        delta[b] = t;
        queue.push(t);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      const f = fail[s]!;
      const fo = out[f];
      if (fo) out[s] = [...(out[s] ?? []), ...fo];
      for (let b = 0; b < 256; b++) {
        const t = goto[s]!.get(b);
        if (t !== undefined) {
          fail[t] = delta[f * 256 + b]!;
          delta[s * 256 + b] = t;
          queue.push(t);
        } else delta[s * 256 + b] = delta[f * 256 + b]!;
      }
    }
    // fold ASCII upper case onto lower case
    for (let s = 0; s < n; s++) for (let b = 65; b <= 90; b++) delta[s * 256 + b] = delta[s * 256 + b + 32]!;
    this.delta = delta;
    this.out = out;
    this.term = Uint8Array.from(out, (o) => (o ? 1 : 0));
  }

  /** Marks `found[id] = 1` for each keyword occurring in `bytes`; returns how many were found. */
  findIn(bytes: Uint8Array, found: Uint8Array): number {
    const { delta, term } = this;
    const n = bytes.length;
    let s = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      s = delta[(s << 8) | bytes[i]!]!;
      if (term[s] === 1) {
        for (const id of this.out[s]!)
          if (found[id] === 0) {
            found[id] = 1;
            count++;
          }
        if (count === this.size) return count;
      }
    }
    return count;
  }
}
