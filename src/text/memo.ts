/**
 * Remember the last results of a pure function of a string. Within one message the same text goes through
 * normalisation, segmentation and amount parsing several times (once per skill that looks at it), and the
 * knowledge base's own sentences are analysed again and again; a small bounded map removes that repeat work.
 */
export function memoize<T>(fn: (s: string) => T, max = 2000): (s: string) => T {
  let cache = new Map<string, T>()
  return function memoized(s: string): T {
    if (cache.has(s)) return cache.get(s) as T
    const value = fn(s)
    // Cheaper than LRU bookkeeping: start over when full; hot entries come straight back.
    if (cache.size >= max) cache = new Map()
    cache.set(s, value)
    return value
  }
}
