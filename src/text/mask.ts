/** Mask mainland phone numbers, credit codes and ID numbers so logs never carry them whole. */
export function maskPersonalData(text: string): string {
  return text
    .replace(/[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/g, (m) => `${m.slice(0, 4)}**********${m.slice(-4)}`)
    .replace(/\d{17}[\dXx]/g, (m) => `${m.slice(0, 3)}***********${m.slice(-4)}`)
    .replace(/1[3-9]\d{9}/g, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`)
    .replace(/(?<!\d)(0\d{2,3}-?)?\d{7,8}(?!\d)/g, (m) => `${m.slice(0, 2)}****${m.slice(-2)}`)
}

/** Mask one phone number for a notice: 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '****'
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}
