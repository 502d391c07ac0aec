/**
 * Masking of personal data for logs and notices: mobile and landline numbers, ID numbers and 统一社会信用代码,
 * however they are typed: in groups ("138 0013 8000", "138-0013-8000", "9144 0300 MA5E XAMP 1F"), in full-width
 * digits ("１３８００１３８０００"), in lower case ("91440300ma5examp1f"). One function, so every caller masks alike.
 * Every pattern here is linear: a separator is required between groups, so no two ways to match the same text.
 */

// Full-width digits, letters and hyphen → half-width; the ideographic space → a space. Chinese punctuation stays.
const FULL_WIDTH = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0d\u3000]/g
const toHalfWidth = (c: string) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))
// Letters and digits in groups joined by one space or hyphen: where a credit code typed in groups hides.
const ALNUM_RUN = /[0-9A-Za-z]+(?:[ -][0-9A-Za-z]+)*/g
// GB 32100: 2 registration chars, 6 digits of region code, 10 more chars (no I, O, Z, S, V).
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/
const CREDIT_CODE_INSIDE = /[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/g
// Digits in groups joined by one space or hyphen, an ID number's final X included.
const DIGIT_RUN = /\d+(?:[ -]\d+)*(?:[Xx](?![A-Za-z]))?/g
// Dates stay readable ("2021-06-30", "2021 6 30"), and so do the bot's own report numbers (BS20261126-0007).
const DATE = /^\d{4}[ -]\d{1,2}[ -]\d{1,2}$/
const REPORT_NO = /^\d{8}-\d{4}$/
/** Fewer digits than this are an amount, a year or a short number, not a phone or an ID. */
const MIN_DIGITS = 7
const CODE_LENGTH = 18

/** Mask phone numbers, ID numbers and credit codes in free text, so logs never carry them whole. */
export function maskPersonalData(text: string): string {
  const t = text.replace(FULL_WIDTH, toHalfWidth)
  return maskDigitRuns(maskCreditCodes(t))
}

/** Mask one phone number for a notice: 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(FULL_WIDTH, toHalfWidth).replace(/\D/g, '')
  return digits.length < MIN_DIGITS ? '****' : maskDigits(digits)
}

/** 138****8000; an 18-digit ID keeps its first 3 and last 4; 7 to 10 digits keep 2 at each end. */
function maskDigits(d: string): string {
  const [head, tail] = d.length >= 11 ? [3, 4] : [2, 2]
  return `${d.slice(0, head)}${'*'.repeat(d.length - head - tail)}${d.slice(-tail)}`
}

function maskCode(code: string): string {
  return `${code.slice(0, 4)}${'*'.repeat(CODE_LENGTH - 8)}${code.slice(-4)}`
}

/** Credit codes, whole or in groups, any case: consecutive groups that join to 18 chars of the code's shape. */
function maskCreditCodes(t: string): string {
  return t.replace(ALNUM_RUN, (run) => {
    if (!/\d{6}/.test(run.replace(/[ -]/g, ''))) return run
    const chunks = run.split(/[ -]/)
    // Where each group starts in the run, so the text between masked codes is kept as typed.
    const starts: number[] = []
    for (let k = 0, at = 0; k < chunks.length; at += chunks[k]!.length + 1, k++) starts.push(at)
    let out = ''
    let kept = 0
    for (let i = 0; i < chunks.length; i++) {
      // Groups from i joined while they fit in 18 chars: a bounded look-ahead, so linear in the run's length.
      let joined = ''
      let j = i
      while (j < chunks.length && joined.length + chunks[j]!.length <= CODE_LENGTH) joined += chunks[j++]!.toUpperCase()
      if (joined.length === CODE_LENGTH && CREDIT_CODE.test(joined)) {
        out += run.slice(kept, starts[i]) + maskCode(joined)
        kept = starts[j - 1]! + chunks[j - 1]!.length
        i = j - 1
      } else if (chunks[i]!.length > CODE_LENGTH) {
        // A code glued inside a longer group ("ID91440300MA5EXAMP1F") is still found.
        const upper = chunks[i]!.toUpperCase()
        const masked = upper.replace(CREDIT_CODE_INSIDE, maskCode)
        if (masked === upper) continue
        out += run.slice(kept, starts[i]) + masked
        kept = starts[i]! + chunks[i]!.length
      }
    }
    return out + run.slice(kept)
  })
}

/** Phone and ID numbers: digit groups joined by spaces or hyphens, 7 digits or more in all, dates excepted. */
function maskDigitRuns(t: string): string {
  return t.replace(DIGIT_RUN, (run: string, at: number) => {
    const digits = run.replace(/[ -]/g, '')
    if (digits.length < MIN_DIGITS || DATE.test(run)) return run
    if (REPORT_NO.test(run) && t.slice(Math.max(0, at - 2), at) === 'BS') return run
    return maskDigits(digits.toUpperCase())
  })
}
