// GB 32100-2015 统一社会信用代码: 18 chars from 31 symbols (no I, O, Z, S, V — they look like 1, 0, 2, 5, U).
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const CODE_CHARS = /^[0-9A-HJ-NPQRTUWXY]+$/

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; reason: 'length' | 'charset' | 'checksum' }

/** Trim, full-width to half-width, upper-case: how users paste codes from PDFs and WeChat. */
export function normalizeCreditCode(code: string): string {
  return code
    .trim()
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase()
}

/** The 18th char for 17 leading chars, or undefined when those are not 17 valid code chars. */
export function creditCodeCheckChar(first17: string): string | undefined {
  const s = normalizeCreditCode(first17)
  if (s.length !== 17 || !CODE_CHARS.test(s)) return undefined
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(s[i]!) * WEIGHTS[i]!
  return CHARSET[(31 - (sum % 31)) % 31]!
}

/** Validate a 统一社会信用代码: length, allowed chars (positions 3–8 are the region code, digits only), then the check char. */
export function checkCreditCode(code: string): CreditCodeCheck {
  const s = normalizeCreditCode(code)
  if (s.length !== 18) return { ok: false, reason: 'length' }
  if (!CODE_CHARS.test(s) || !/^\d{6}$/.test(s.slice(2, 8))) return { ok: false, reason: 'charset' }
  if (creditCodeCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'checksum' }
  return { ok: true, code: s }
}

/** The credit code in a sentence (normalized), preferring one that validates; an invalid candidate is still returned so the bot can say what is wrong. */
export function findCreditCode(text: string): string | undefined {
  const t = normalizeCreditCode(text)
  // 18 letters/digits standing alone; at least six digits, since positions 3–8 always are (an English word never matches).
  const candidates = [...t.matchAll(/(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])/g)]
    .map((m) => m[0])
    .filter((c) => (c.match(/\d/g) ?? []).length >= 6)
  const valid = candidates.find((c) => checkCreditCode(c).ok)
  if (valid) return valid
  if (candidates[0]) return candidates[0]
  // Typed in groups ("9135 0100 M000 100Y43"): only trust the joined form when its check char agrees.
  for (const m of t.matchAll(/(?<![0-9A-Z])[0-9A-Z]+(?:[ \-][0-9A-Z]+)+(?![0-9A-Z])/g)) {
    const joined = m[0].replace(/[ \-]/g, '')
    if (checkCreditCode(joined).ok) return joined
  }
  return undefined
}

const PROBLEMS: Record<Exclude<CreditCodeCheck, { ok: true }>['reason'], string> = {
  length: '统一社会信用代码应为18位',
  charset: '统一社会信用代码里有不该出现的字符（不含 I、O、Z、S、V，第3至8位是数字）',
  checksum: '统一社会信用代码校验不通过，可能有一位输错了',
}

/** What is wrong with a code, in words for the user. */
export function creditCodeProblem(reason: keyof typeof PROBLEMS): string {
  return PROBLEMS[reason]
}
