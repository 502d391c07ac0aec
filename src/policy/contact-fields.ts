/** Validators for the facts a loss report collects; each returns the cleaned value or undefined. */

/** Mainland mobile (11 digits, 1[3-9]…) or landline (area code + 7–8 digits, or an 8-digit Shenzhen local number). */
export function parsePhone(text: string): string | undefined {
  const candidates = text.normalize('NFKC').match(/(?:\+?86[\s-]?)?(?:\d[\d\s-]{5,16}\d)/g) ?? []
  for (const c of candidates) {
    const digits = c.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '')
    if (/^1[3-9]\d{9}$/.test(digits)) return digits
    if (/^0\d{2,3}\d{7,8}$/.test(digits) && digits.length >= 10 && digits.length <= 12) return formatLandline(digits)
    if (/^[2-8]\d{7}$/.test(digits)) return digits
  }
  return undefined
}

function formatLandline(d: string): string {
  // Two- or three-digit area codes: 010, 02x are three digits with the 0; others four.
  const area = /^(010|02\d)/.test(d) ? d.slice(0, 3) : d.slice(0, 4)
  return `${area}-${d.slice(area.length)}`
}

const SKIP = /^(不记得|忘了|忘记了|没有|无|不知道|不清楚|跳过|暂无|没|略|记不清|找不到)[了。.!！]*$/

/** Policy number: letters, digits and dashes, 6–30 characters; null when the user skips it. */
export function parsePolicyNo(text: string): string | null | undefined {
  const t = text.normalize('NFKC').trim()
  if (SKIP.test(t)) return null
  const m = /[A-Za-z0-9][A-Za-z0-9-]{5,29}/.exec(t.replace(/\s+/g, ''))
  return m ? m[0].toUpperCase() : undefined
}

const YES = /^(是|是的|对|对的|有|有的|嗯|没错|用了|用的|是信用证|yes|y|ok|好的?)([，,。.!！].*)?$/i
const NO = /^(不是|否|没有|没|不|无|不用|没用|没用信用证|no|n)([，,。.!！].*)?$/i

/** A yes/no answer, or undefined when the message is neither. */
export function parseYesNo(text: string): boolean | undefined {
  const t = text.normalize('NFKC').trim().toLowerCase()
  if (NO.test(t)) return false
  if (YES.test(t)) return true
  return undefined
}

/** A person's name: 2–20 letters, Han characters or spaces; no digits. */
export function parsePersonName(text: string): string | undefined {
  const t = text
    .trim()
    .replace(/^(联系人|我是|我叫|姓名|名字)[是:：\s]*/, '')
    .replace(/[，,。.!！]+$/, '')
  return /^[\p{Script=Han}A-Za-z·.\s]{2,20}$/u.test(t) ? t : undefined
}
