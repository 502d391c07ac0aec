import type { LossGroup, RememberedMoney } from '../engine/types.js'
import { APPROX_BAND, parseMoneySpans, type MoneySpan } from './amount.js'
import { findMentions, fold, LC, type Kind, type Mention } from './loss-mentions.js'
import type { Figure } from './payout.js'

/**
 * A remembered amount with its range when approximate ("600多万" → 6,000,000–7,000,000), so a follow-up
 * computes with the range the user meant rather than a guess. Plain finite numbers: it is stored in the session.
 */
export interface LossAmount extends RememberedMoney {
  low?: number
  high?: number
  /** "超过30万": more than low. */
  lowExclusive?: boolean
  /** Part was paid back: what was owed and what came back (value is what is still unpaid). */
  owed?: number
  repaid?: number
}

/** How a message's amounts were put into groups, so the answer can say what it assumed. */
export type Grouping =
  /** Buyers or banks named or counted in the message ("买方A…", "两个买家分别…"). */
  | 'stated'
  /** One amount, nothing said about who owes it. */
  | 'single'
  /** Several amounts and no word on who owes them: read as different buyers. */
  | 'assumed-separate'
  /** Several amounts after one unnamed buyer ("买家欠了30万和5万"): read as the same buyer. */
  | 'assumed-same'

export interface LossReading {
  groups: LossGroup[]
  grouping: Grouping
  /** The message adds to what was said before ("还有一个买家欠5万呢", "another buyer owes…"). */
  additive: boolean
  /** The message talks about an L/C or issuing bank. */
  lc: boolean
}

// Words that make an amount a loss (or a loss the user asks about), and words that make it something else.
const LOSS_WORDS =
  /欠|拖欠|损失|坏账|没付|不付|未付|拒付|拒绝付|拒绝承兑|收不回|收不到|没收回|没收到|没回款|不给钱|没给钱|不还|没还|逾期|违约|跑路|破产|倒闭|拒收|赔|理赔|索赔|货款|尾款|应收|报损|(?<![a-z])(?:owes?|owed|owing|unpaid|outstanding|overdue|default(?:ed)?|bad debts?|loss(?:es)?|lost|refus\w*|didn'?t pay|did not pay|not paid|hasn'?t paid|haven'?t paid|won'?t pay|never paid|get back|recover\w*|payout|pay ?out|claim\w*|compensat\w*|receivables?|indemnit\w*|bankrupt\w*|insolven\w*|invoices?|cover)(?![a-z])/
const EXPORT_WORDS = /出口额|出口金额|出口总额|出口了|年出口|出口量|外贸额|营业额|销售额|营收|(?<![a-z])(?:exports?|exported|turnover|revenue|sales)(?![a-z])/
// An amount right after these is a limit or a payout, not a loss ("限额15万美元", "最后赔了15万美元").
const NOT_LOSS_BEFORE = /(?:限额|上限|封顶|最多(?:赔|能赔|可赔)?|最高|赔了|赔偿了|获赔|赔款|赔付了|拿到了?|获得了?|(?<![a-z])(?:limit|cap|maximum|max|up to|paid out|got|received))\s*(?:是|为|of|is)?\s*$/
// An amount right after these was paid back ("后来还了6万", "已付3万", "paid back 20k"): it comes off the loss.
const REPAID_BEFORE = /(?:(?<![没未不拖欠])还了|已还|已经还了?|归还了?|偿还了?|(?<![没未不拒欠应待])付了|已付|已经付了?|支付了|回款了?|收回了?|(?<![a-z])(?:paid back|repaid|has paid|have paid|paid us))\s*(?:我们|我司)?\s*$/
const NOT_LOSS_AFTER = /^\s*(?:的赔偿|的赔款|赔款|的限额|的上限|封顶|(?<![a-z])(?:limit|cap)(?![a-z]))/
const CLAUSE_END = /[，。；;！!？?\n]|,(?!\d{3})/g
const ADDITIVE = /^(?:那|那么|对了|哦|噢|嗯|另外|and|also|oh)?[\s,，]*(?:还有|另外还有|另外|另|又有?|再加上?|加上|此外|也有|and also|also|plus|another|one more)/

/** Where each clause ends (the separators' positions), found once per message. */
function clauseEnds(f: string): number[] {
  const ends: number[] = []
  CLAUSE_END.lastIndex = 0
  for (let m = CLAUSE_END.exec(f); m; m = CLAUSE_END.exec(f)) ends.push(m.index)
  return ends
}

/** The clause around [start, end): from after the last separator before it to the first one at or after its end. */
function clauseAround(f: string, ends: number[], start: number, end: number): { from: number; to: number } {
  // Binary searches, so many amounts in a long message cost n log n, not n².
  const before = lastBelow(ends, start)
  let lo = 0
  let hi = ends.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ends[mid]! >= end) hi = mid
    else lo = mid + 1
  }
  return { from: before < 0 ? 0 : ends[before]! + 1, to: lo < ends.length ? ends[lo]! : f.length }
}

function lastBelow(xs: number[], v: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (xs[mid]! < v) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

/** Longest text NOT_LOSS_BEFORE can match ("paid out of  "), with room for spaces: the look-back is bounded. */
const NOT_LOSS_LOOKBACK = 32

/** Amounts in the message that are losses (not the firm's exports, not a limit or a payout); `repaid` ones were paid back. */
function lossAmounts(f: string, spans: MoneySpan[]): Array<MoneySpan & { repaid?: boolean }> {
  const ends = clauseEnds(f)
  // Several amounts in one clause: the clause's words are read once.
  const exportClause = new Map<number, boolean>()
  return spans.filter((a) => {
    const { from, to } = clauseAround(f, ends, a.start, a.end)
    let exports = exportClause.get(from)
    if (exports === undefined) {
      const clause = f.slice(from, to)
      exports = EXPORT_WORDS.test(clause) && !LOSS_WORDS.test(clause)
      exportClause.set(from, exports)
    }
    if (exports) return false
    const lead = f.slice(Math.max(from, a.start - NOT_LOSS_LOOKBACK), a.start)
    if (NOT_LOSS_BEFORE.test(lead) || NOT_LOSS_AFTER.test(f.slice(a.end, to))) return false
    return true
  }).map((a) => (REPAID_BEFORE.test(f.slice(Math.max(0, a.start - NOT_LOSS_LOOKBACK), a.start)) ? { ...a, repaid: true } : a))
}

/**
 * A sum paid back comes off the amount owed before it (same currency, and less than it): "总共欠12万，后来还了6万"
 * is a loss of 6万. The amount keeps what was owed and repaid, so the answer can say how it read them. False when
 * there is nothing it can come off: the caller then ignores it rather than count it as another loss.
 */
function applyRepaid(owed: LossAmount | undefined, repaid: LossAmount): boolean {
  if (!owed || owed.approx || repaid.approx || repaid.value >= owed.value) return false
  if (owed.currency !== repaid.currency && owed.currency !== 'UNKNOWN' && repaid.currency !== 'UNKNOWN') return false
  owed.owed ??= owed.value
  owed.repaid = (owed.repaid ?? 0) + repaid.value
  owed.value = Math.round((owed.value - repaid.value) * 100) / 100
  return true
}

/** What to remember of a parsed amount: value, currency and, when approximate, its finite range. */
export function rememberAmount(a: Pick<MoneySpan, 'value' | 'currency' | 'approx'>): LossAmount {
  const out: LossAmount = { value: a.value, currency: a.currency }
  if (a.approx) {
    out.approx = true
    out.low = a.approx.low
    if (Number.isFinite(a.approx.high)) out.high = a.approx.high
    if (a.approx.lowExclusive) out.lowExclusive = true
  }
  return out
}

/** A remembered amount back as a figure with its range ("大概8万" without a stored range is read as ±10 %). */
export function figureOf(m: RememberedMoney): Figure {
  if (!m.approx) return { value: m.value, currency: m.currency }
  const { low, high, lowExclusive } = m as LossAmount
  return {
    value: m.value,
    currency: m.currency,
    approx: {
      low: typeof low === 'number' ? low : round2(m.value * (1 - APPROX_BAND)),
      high: typeof high === 'number' ? high : typeof low === 'number' ? Infinity : round2(m.value * (1 + APPROX_BAND)),
      ...(lowExclusive ? { lowExclusive: true } : {}),
    },
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100

interface Draft {
  party: Kind
  name?: string
  generic: boolean
  amounts: LossAmount[]
}

/** What an amount of money in a message is: the firm's exports, a loss, a sum paid back, a limit or a payout, or not said. */
export type AmountRole = 'exports' | 'loss' | 'repaid' | 'limit' | 'unsaid'

// "我们出口600万美元", "exported 7.5M": exports, when nothing in the message speaks of a loss.
const EXPORTS_FIGURE = /出口\s*(?=\d|[一二三四五六七八九十几两]|约|大概|差不多)/

/**
 * Every amount of money in a message with its role, read from the words of its clause: the one reader of what a
 * figure is, for the facts remembered, the eligibility check and the loss reading alike. Offsets are into the
 * message as given.
 */
export function amountRoles(message: string): Array<MoneySpan & { role: AmountRole }> {
  if (!message) return []
  const spans = parseMoneySpans(message)
  if (!spans.length) return []
  const f = fold(message)
  const ends = clauseEnds(f)
  const lossSaid = LOSS_WORDS.test(f)
  return spans.map((a) => {
    const { from, to } = clauseAround(f, ends, a.start, a.end)
    const clause = f.slice(from, to)
    const lead = f.slice(Math.max(from, a.start - NOT_LOSS_LOOKBACK), a.start)
    let role: AmountRole
    if ((EXPORT_WORDS.test(clause) && !LOSS_WORDS.test(clause)) || (!lossSaid && EXPORTS_FIGURE.test(clause))) role = 'exports'
    else if (NOT_LOSS_BEFORE.test(lead) || NOT_LOSS_AFTER.test(f.slice(a.end, to))) role = 'limit'
    else if (REPAID_BEFORE.test(f.slice(Math.max(0, a.start - NOT_LOSS_LOOKBACK), a.start))) role = 'repaid'
    else role = lossSaid ? 'loss' : 'unsaid'
    return { ...a, role }
  })
}

/**
 * Read one message into loss groups per buyer or issuing bank, saying how the grouping was decided.
 * `answering`: the message answers "how much is the loss?", so its amounts are losses without a word like "欠".
 */
export function readLosses(message: string, { answering = false }: { answering?: boolean } = {}): LossReading {
  const none: LossReading = { groups: [], grouping: 'single', additive: false, lc: false }
  if (!message) return none
  const text = expandEach(message)
  const spans = parseMoneySpans(text)
  if (!spans.length) return none
  const f = fold(text)
  if (!answering && !LOSS_WORDS.test(f)) return none
  const amounts = lossAmounts(f, spans)
  if (!amounts.length) return none

  // One currency said in the message covers the figures said without one ("A客户欠6万和7万，B客户欠8万美元").
  const said = new Set(amounts.filter((a) => a.currency !== 'UNKNOWN').map((a) => a.currency))
  if (said.size === 1) {
    const only = [...said][0]!
    for (const a of amounts) if (a.currency === 'UNKNOWN') a.currency = only
  }

  const mentions = findMentions(f, text)
  const lc = LC.test(f) || mentions.some((m) => m.kind === 'bank')
  const drafts: Draft[] = []
  const loose: LossAmount[] = []
  let current: Draft | undefined
  let split: Kind | undefined // after "两个买家": each following amount is its own party
  let sameSaid = false
  let itemsSaid = false
  let firstMention: Mention | undefined

  const open = (party: Kind, name?: string): Draft => {
    const d: Draft = { party, name, generic: !name, amounts: [] }
    drafts.push(d)
    return d
  }

  const events = [...mentions.map((m) => ({ at: m.start, m })), ...amounts.map((a) => ({ at: a.start, a }))].sort((x, y) => x.at - y.at)
  for (const e of events) {
    if ('a' in e && e.a) {
      const amount = rememberAmount(e.a)
      if (e.a.repaid) {
        // Off the last amount of the party talked about, or the last loose one; never a loss of its own.
        applyRepaid((current ?? drafts.at(-1))?.amounts.at(-1) ?? loose.at(-1), amount)
        continue
      }
      if (split) drafts.push({ party: split, generic: true, amounts: [amount] })
      else if (current) current.amounts.push(amount)
      else loose.push(amount)
      continue
    }
    const m = (e as { m: Mention }).m
    firstMention ??= m
    const kind = m.kind ?? current?.party ?? 'buyer'
    switch (m.mode) {
      case 'plural':
        split = kind
        current = undefined
        break
      case 'named': {
        split = undefined
        const key = m.name!.toLowerCase()
        const same = drafts.find((d) => d.name?.toLowerCase() === key)
        if (same) current = same
        else if (current && current.generic && !current.amounts.length) {
          current.name = m.name
          current.generic = false
          current.party = m.kind ?? current.party
        } else current = open(m.kind ?? 'buyer', m.name)
        break
      }
      case 'same':
        sameSaid = true
        split = undefined
        if (!current) current = drafts.at(-1) ?? open(kind)
        if (m.kind && !current.amounts.length) current.party = m.kind
        break
      case 'new':
        split = undefined
        current = open(kind)
        break
      case 'items':
        itemsSaid = true
        split = undefined
        if (!current) current = open(m.kind ?? 'buyer')
        else if (m.kind === 'bank' && current.generic) current.party = 'bank'
        break
      case 'generic':
        if (split) break
        if (!current) current = open(kind)
        else if (current.party !== kind) {
          // "买家…开证行…": before any amount the bank decides the party; after one, it is another party.
          if (!current.amounts.length) current.party = kind === 'bank' ? 'bank' : current.party
          else if (kind === 'bank') current = open('bank')
        }
        break
    }
  }

  let groups = drafts.filter((d) => d.amounts.length)
  let grouping: Grouping = 'stated'
  if (loose.length) {
    if (sameSaid || itemsSaid) {
      // "欠了6万和7万，都是同一个买家的": the figures before the mention belong to it.
      const target = groups[0] ?? open(lc ? 'bank' : 'buyer')
      target.amounts.unshift(...loose)
      groups = drafts.filter((d) => d.amounts.length)
    } else {
      const party: Kind = lc ? 'bank' : 'buyer'
      groups = [...loose.map((a) => ({ party, generic: true, amounts: [a] })), ...groups]
      grouping = loose.length === 1 && groups.length === 1 ? 'single' : groups.length > 1 && !mentions.length ? 'assumed-separate' : 'stated'
    }
  }
  if (groups.length === 1 && groups[0]!.generic && !sameSaid && !itemsSaid) {
    const g = groups[0]!
    if (g.amounts.length > 1) grouping = 'assumed-same'
    else if (!loose.length) grouping = 'single'
  }
  // An L/C message without a named buyer: the limit is per issuing bank.
  if (lc) for (const g of groups) if (g.generic) g.party = 'bank'

  const additive = ADDITIVE.test(f.trim()) || (firstMention?.mode === 'new' && /还有|另|又|再|加上|another|one more|other/.test(f.slice(firstMention.start, firstMention.end)))
  return {
    groups: groups.map((g) => ({ party: g.party, ...(g.name ? { name: g.name } : {}), amounts: g.amounts })),
    grouping,
    additive,
    lc,
  }
}

const CN_COUNT: Record<string, number> = { 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 }
const AMOUNT_SAID = String.raw`(?:usd|us\$|\$|hkd|eur|rmb)?\s?\d[\d,]*(?:\.\d+)?\s?(?:万|千|k|m|million)?\s?(?:美元|美金|港币|港元|欧元|人民币|元|usd|hkd|eur|rmb|dollars)?`
// "三笔货款各3万美元", "两张发票各欠5万": N items of the same amount.
const EACH_ZH = new RegExp(String.raw`([两二三四五六七八九十]|\d{1,2})\s?(笔|票|张|批|单|份)([^，。,;；\d]{0,10}?)各(?:欠|为|是|有)?\s?(${AMOUNT_SAID})`, 'gi')
// "three invoices of USD 30,000 each", "2 shipments of 50k each".
const EACH_EN = new RegExp(String.raw`\b(two|three|four|five|six|\d{1,2})\s+(invoices|shipments|orders|bills|l/cs|lcs|letters of credit)\s+(?:of\s+)?(${AMOUNT_SAID})\s+each\b`, 'gi')
const EN_COUNT: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6 }

const SAME_PARTY_MORE = /(同一个?|同一家|还是那个|那个|这个)(客户|客人|买家|买方|进口商|开证行|银行).{0,6}(还有|另外|又|再)|(还有|另外|又有).{0,4}(同一个?|那个)(客户|买家|买方)|same (buyer|customer|bank).{0,20}(another|also|more)|(another|one more) (invoice|shipment|l\/c).{0,20}same (buyer|customer|bank)/

/** "同一个客户还有一笔…": the message adds to the loss against the buyer or bank last talked about. */
export function continuesLastParty(text: string): boolean {
  return SAME_PARTY_MORE.test(fold(text))
}

/** Spell out "N笔各X" as N amounts, so they are summed like any list of amounts against one party. */
function expandEach(text: string): string {
  const times = (n: number, amount: string, sep: string) => Array.from({ length: Math.min(n, 20) }, () => amount.trim()).join(sep)
  return text
    .replace(EACH_ZH, (_m, count: string, unit: string, what: string, amount: string) => {
      const n = CN_COUNT[count] ?? Number(count)
      return n >= 2 ? `${count}${unit}${what}分别${times(n, amount, '、')}` : _m
    })
    .replace(EACH_EN, (_m, count: string, what: string, amount: string) => {
      const n = EN_COUNT[count.toLowerCase()] ?? Number(count)
      return n >= 2 ? `${count} ${what}: ${times(n, amount, ', ')}` : _m
    })
}

/**
 * The losses a message states, grouped per buyer or issuing bank: several shipments, invoices or L/Cs against the
 * same buyer or bank are one group ("买方A三票分别6万、7万、8万美元"); "两个买家分别欠30万和5万" is two. Amounts that are
 * the firm's exports, a limit or a payout are left out; a message with no loss in it gives [].
 */
export function findLosses(text: string): LossGroup[] {
  return readLosses(text).groups
}

/** The losses to remember after a message: its own groups, added to the earlier ones when it says "还有…" / "another…". */
export function updateLosses(previous: LossGroup[] | undefined, text: string): LossGroup[] | undefined {
  const r = readLosses(text)
  if (!r.groups.length) return previous
  // "同一个客户还有一笔9万": more of the loss already under discussion, against the same buyer or bank.
  const last = previous?.at(-1)
  if (last && r.groups.length === 1 && continuesLastParty(text) && r.groups[0]!.party === last.party) {
    return [...previous!.slice(0, -1), { ...last, amounts: [...last.amounts, ...r.groups[0]!.amounts] }]
  }
  return r.additive && previous?.length ? [...previous, ...r.groups] : r.groups
}
