import { normalize } from '../text/normalize.js'
import { escapeRegExp } from '../text/terms.js'

/**
 * A matcher for a phrase in normalised text, compiled once: an English phrase must stand as whole words and may
 * take a plural "s" ("free service" matches "free services"); a Chinese one is a plain substring.
 */
export function phraseMatcher(phrase: string): (normalizedText: string) => boolean {
  const p = normalize(phrase)
  if (!/^[a-z0-9]/.test(p) || !/[a-z]/.test(p)) return (t) => t.includes(p)
  const re = new RegExp(`(?<![a-z])${escapeRegExp(p)}(?:es|s)?(?![a-z])`)
  return (t) => re.test(t)
}

/** True when the text uses any of the phrases. */
export function anyPhrase(phrases: string[]): (normalizedText: string) => boolean {
  const matchers = phrases.map(phraseMatcher)
  return (t) => matchers.some((m) => m(t))
}
