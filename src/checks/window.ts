/**
 * Sliding-window counting for windowed rules: per key, the times of the last `threshold`
 * observations. Memory is bounded twice: at most `threshold` times a key, and at most `maxKeys`
 * keys (the key seen longest ago is forgotten first), so a log with a million distinct users
 * cannot grow it without bound.
 */
export class WindowCounter {
  private readonly keys = new Map<string, number[]>();

  constructor(private readonly maxKeys = 100_000) {}

  /**
   * Counts one observation at `time` (ms). Returns how many fell within the window when that
   * reaches `threshold` (the key then starts afresh, so one burst is one finding), else undefined.
   */
  add(key: string, time: number, threshold: number, windowMs: number): number | undefined {
    let times = this.keys.get(key);
    if (times)
      this.keys.delete(key); // re-insert: Map order is then least recently seen first
    else times = [];
    const from = time - windowMs;
    // out-of-order times (stages of concurrent requests) count when they are within the window
    times = times.filter((t) => t > from);
    times.push(time);
    // reached: the key is left out of the map, so the next burst counts from zero
    if (times.length >= threshold) return times.length;
    this.keys.set(key, times);
    if (this.keys.size > this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
    return undefined;
  }

  get size(): number {
    return this.keys.size;
  }
}
