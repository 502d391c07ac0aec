/**
 * Splits a reply into WeChat-sized text messages (Content is limited to ~2047 UTF-8 bytes).
 *
 * Cut preference, latest position first within the byte window:
 *   1. after a paragraph break (blank line)
 *   2. after a sentence end (。！？；!?… , a '.' followed by whitespace, or a newline),
 *      together with any closing quotes/brackets that follow it
 *   3. after a comma (，、,：)
 *   4. at whitespace
 * Tiers 1–4 are first tried only where the chunk would be at least half full (so that an early
 * paragraph break does not produce a tiny message), then anywhere. Then:
 *   5. any code-point boundary outside a protected token
 *   6. any code-point boundary (a single protected token longer than maxBytes)
 * Protected tokens (never cut inside): URLs, e-mail addresses, phone numbers / digit runs.
 * Surrogate pairs are never split. Chunks are trimmed; no empty chunks.
 */

const SENTENCE_END = new Set(['。', '！', '？', '；', '!', '?', '…', '\n'])
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '〉', '】', '〕', '"', "'", ']'])
const COMMAS = new Set(['，', '、', ',', '：'])

/**
 * URL: up to whitespace, a CJK character, CJK/fullwidth punctuation or a few characters that
 * cannot appear raw in a URL.
 */
const URL_RE = /https?:\/\/[^\s<>"\u3000-\u303F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\p{Script=Han}]+/giu
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g
/**
 * Phone numbers and digit runs: digits (ASCII or fullwidth) joined by single separators that
 * occur inside numbers — "+86 138-0013-8000", "(0755) 8888 8888", "1,000,000", "3.5", "10:30".
 */
const NUMBER_RE = /[+＋(（]?[0-9０-９]+(?:[)）]?[ \-‐‑–—.,:/．，：][(（]?[0-9０-９]+)*[)）]?/g

export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      n += 4
      i++
    } else n += 3 // BMP, or a lone surrogate (encoded as U+FFFD, 3 bytes)
  }
  return n
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}
function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}
function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch)
}

/** prefix[i] = UTF-8 bytes of text.slice(0, i) for every i that is a code-point boundary. */
function bytePrefix(text: string): Int32Array {
  const pre = new Int32Array(text.length + 1)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    pre[i] = n
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (isHigh(c) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      n += 4
      pre[i + 1] = n // never used as a cut (inside a pair); keeps the array monotonic
      i++
    } else n += 3
  }
  pre[text.length] = n
  return pre
}

/** Marks positions p (cut before text[p]) that fall strictly inside a protected token. */
function protectedMask(text: string): Uint8Array {
  const inside = new Uint8Array(text.length + 1)
  for (const re of [URL_RE, EMAIL_RE, NUMBER_RE]) {
    re.lastIndex = 0
    for (const m of text.matchAll(re)) {
      const start = m.index
      const end = start + m[0].length
      for (let p = start + 1; p < end; p++) inside[p] = 1
    }
  }
  return inside
}

export function splitForWeChat(text: string, maxBytes = 2047): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError('maxBytes must be an integer ≥ 4')
  const chunks: string[] = []
  if (!text) return chunks
  const pre = bytePrefix(text)
  const inside = protectedMask(text)
  const n = text.length

  const boundary = (p: number): boolean => p === n || p === 0 || !(isLow(text.charCodeAt(p)) && isHigh(text.charCodeAt(p - 1)))

  // Tier of a cut at position p (between text[p-1] and text[p]); 0 = not a preferred cut.
  const tierAt = (p: number): number => {
    const prev = text[p - 1]!
    // 1: paragraph break — p right after a newline that closes a blank line.
    if (prev === '\n') {
      let j = p - 2
      while (j >= 0 && text[j] !== '\n' && isSpace(text[j])) j--
      if (j >= 0 && text[j] === '\n') return 1
    }
    // 2: sentence end, possibly followed by more enders / closing quotes; cut after the last.
    const next = text[p]
    const extendsFurther = next !== undefined && (SENTENCE_END.has(next) || CLOSERS.has(next)) && next !== '\n'
    if (SENTENCE_END.has(prev) && !extendsFurther) return 2
    if (CLOSERS.has(prev) && !extendsFurther) {
      let j = p - 1
      while (j >= 0 && CLOSERS.has(text[j]!)) j--
      if (j >= 0 && SENTENCE_END.has(text[j]!)) return 2
    }
    // '.' ends a sentence only after a non-digit ("done. Next", not the "1. " of a list item).
    if (prev === '.' && (next === undefined || isSpace(next)) && p >= 2 && !/[0-9０-９]/.test(text[p - 2]!)) return 2
    // 3: comma
    if (COMMAS.has(prev)) return 3
    // 4: whitespace
    if (isSpace(prev) || isSpace(next)) return 4
    return 0
  }

  let start = 0
  while (start < n) {
    while (start < n && isSpace(text[start])) start++
    if (start >= n) break
    if (pre[n]! - pre[start]! <= maxBytes) {
      const last = text.slice(start).trimEnd()
      if (last) chunks.push(last)
      break
    }
    // Largest code-point boundary `limit` with bytes(start, limit) <= maxBytes.
    let limit = start
    let lo = start + 1
    let hi = n
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (pre[mid]! - pre[start]! <= maxBytes) {
        limit = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    while (limit > start && !boundary(limit)) limit--
    if (limit <= start) limit = start + (isHigh(text.charCodeAt(start)) && start + 1 < n ? 2 : 1) // unreachable for maxBytes >= 4

    const halfBytes = maxBytes / 2
    const best: number[] = [-1, -1, -1, -1, -1] // best[t] = latest cut of tier t
    const bestFull: number[] = [-1, -1, -1, -1, -1] // same, restricted to half-full chunks
    let anyFree = -1
    for (let p = limit; p > start; p--) {
      if (!boundary(p) || inside[p]) continue
      if (anyFree < 0) anyFree = p
      const t = tierAt(p)
      if (t === 0) continue
      if (best[t]! < 0) best[t] = p
      if (bestFull[t]! < 0 && pre[p]! - pre[start]! >= halfBytes) bestFull[t] = p
    }
    let cut = -1
    for (let t = 1; t <= 4 && cut < 0; t++) if (bestFull[t]! > 0) cut = bestFull[t]!
    for (let t = 1; t <= 4 && cut < 0; t++) if (best[t]! > 0) cut = best[t]!
    if (cut < 0) cut = anyFree
    if (cut < 0) cut = limit // a protected token longer than maxBytes: cut at a code point

    const chunk = text.slice(start, cut).trim()
    if (chunk) chunks.push(chunk)
    start = cut
  }
  return chunks
}
