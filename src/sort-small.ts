/**
 * Sorts in place, stably, as `Array.prototype.sort` does, and returns the array. Short arrays
 * go by insertion: V8's sort allocates a work area of several hundred bytes on every call, which
 * the matcher and story grouping would pay several times per story for arrays of two or three.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > INSERTION_LIMIT) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && compare(items[j]!, item) > 0) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

/** Past this length insertion's quadratic cost outgrows the allocation it saves. */
const INSERTION_LIMIT = 16;
