/**
 * Awkward messages of the maximum length, for the worst-input test and `npm run bench`: the units that make
 * extraction patterns work hardest when repeated (letters and digits with separators, amounts, dates, place and
 * company words, question marks), alone and after a lead that puts each skill on its interesting path.
 */

/** Repeated to the limit, these give every pattern its longest runs and most candidate starts. */
export const WORST_UNITS = [
  'a', 'a ', 'a-', 'a.', 'a,', "a'", 'a&', 'aB', 'ab ', 'A1 ', '1a', 'x ', 'Co. ', 'ltd ', 'co,', 'a公司', '买家a', 'l/c ',
  '1', '1,', '1.', '1 ', '9', '1-', '138', '0755-', '91440300', 'BS2026', '1万美元', '600多万', '1,000,', '120k ', 'usd ', 'million ',
  '一', '万', '一二三', '百万', '两', '几', '多', '第', '号', '日', '年', '月', '2021年', '2021年6月', '21年3月', '6月30号', '去年',
  ' ', '\n', '.', '？', '?', '、', '，', '。', '！', '...', '-', '/', '~', '—', '(', '（', '😀',
  '买家', '买方A', '买家欠', '欠', '公司', '有限公司', '集团', '开证行', '信用证', '报关', '的货', '出口额', '大概', '左右', '约', '到', '至',
  '那', '呢', '吗', '是', '不', '的', '深圳', '宝安', '沙井', '我们在', '电话', '客户经理', '我要报损', '查询报案', '详细一点',
  '统保', '赔付', '理赔', '破产', '拒收', '走佬', '唔俾钱', '几多', 'buyer owes ', 'exports ', 'we ', 'wang ',
]

/** Leads that route a message to the loss report, the payout and eligibility rules, and the manager lookup. */
export const WORST_LEADS = ['', '我要报损', '买家欠', '2020年出口', '宝安区客户经理']

/** Sentences whose repetition stresses the whole turn (several questions, amounts, dates, places). */
const SENTENCES = [
  '我们2020年出口额600多万美元，能参加吗？找谁办？',
  '买家欠了12.5万美元和8万欧元，',
  'buyer owes us USD 120k, can we claim? ',
  '沙井福永西乡新安',
  '统保赔付比例限额报损理赔电话客户经理',
  '2021年6月30号报关2022-07-01发货',
  '唔俾钱走佬几多边个',
  '一二三四五六七八九十百千万亿',
]

/** `unit` repeated to exactly `length` characters (UTF-16 units, as the limit counts them). */
export function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
}

/**
 * Every worst input of exactly `max` characters: each lead followed by each unit, and the stress sentences. Each
 * ends in a character unlike its unit: a pattern anchored at the end ("[。！]+$") then fails after scanning the
 * whole run, which is what makes such a pattern quadratic when it is tried from every start.
 */
export function worstCaseInputs(max: number): string[] {
  const out = new Set<string>()
  const odd = (unit: string) => (/[a-z]/i.test(unit) ? '甲' : 'x')
  for (const lead of WORST_LEADS) for (const unit of WORST_UNITS) out.add(lead + fill(unit, max - lead.length - 1) + odd(unit))
  for (const s of SENTENCES) out.add(fill(s, max))
  return [...out]
}
