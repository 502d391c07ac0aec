/** Escape a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * A matcher for one term in normalised text, compiled once: a Latin term must stand as a whole word
 * ("lc", "us" not inside other words), anything else is a plain substring (Chinese has no word breaks).
 */
export function termMatcher(term: string): (normalizedText: string) => boolean {
  if (!/^[a-z]/.test(term)) return (t) => t.includes(term)
  const re = new RegExp(`(?<![a-z])${escapeRegExp(term)}(?![a-z])`)
  return (t) => re.test(t)
}
