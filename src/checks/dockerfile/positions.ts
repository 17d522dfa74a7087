/**
 * Index of the last element of the ascending `starts` that is <= `offset` (binary search), so
 * mapping many offsets in a huge instruction stays O(log n) each, not O(n).
 */
export function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
