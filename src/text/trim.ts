/**
 * Trimming a run of given characters from an end, by scanning back from it. A regex like /[。！]+$/ tries every
 * start position and scans the whole run from each when the text does not end in one ("！！！…！a"): quadratic.
 */

/** `s` without the run of `chars` at its end. */
export function trimEndOf(s: string, chars: string): string {
  let end = s.length
  while (end > 0 && chars.includes(s[end - 1]!)) end--
  return s.slice(0, end)
}

/** `s` without the run of `chars` at its start. */
export function trimStartOf(s: string, chars: string): string {
  let start = 0
  while (start < s.length && chars.includes(s[start]!)) start++
  return s.slice(start)
}

/** Whitespace as \s counts it, for the char lists above. */
export const WHITESPACE = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
