// Who a message says owes what: buyers and issuing banks mentioned ("买方A", "两个买家", "Gamma公司", "德意志银行") and where.
import type { LossGroup } from '../engine/types.js'
import { prepare } from './amount.js'

// Traditional forms of the words read here, one char to one char so offsets stay aligned with the amounts.
const TRAD: Record<string, string> = {
  買: '买', 戶: '户', 開: '开', 證: '证', 銀: '银', 發: '发', 貨: '货', 賬: '账', 壞: '坏', 賠: '赔', 損: '损',
  還: '还', 擔: '担', 違: '违', 約: '约', 帳: '账', 倆: '俩', 進: '进', 產: '产', 額: '额', 無: '无', 償: '偿',
  債: '债', 閉: '闭', 銷: '销', 營: '营', 應: '应', 
}

export function fold(text: string): string {
  let out = ''
  for (const ch of prepare(text)) out += TRAD[ch] ?? ch
  return out
}

const BUYER_CN = '买方|买家|客户|进口商|采购商|客人'
const BANK_CN = '开证行|开证银行|银行'
const BUYER_EN = 'buyers?|customers?|importers?|clients?'
const BANK_EN = 'issuing banks?|banks?'
const NUM_CN = String.raw`(?:两|俩|二|三|四|五|六|七|八|九|十|几|多|\d+)`
const NUM_EN = String.raw`(?:two|three|four|five|six|seven|eight|nine|ten|several|multiple|\d+)`
export const LC = /信用证|l\/c|(?<![a-z])lcs?(?![a-z])|letters? of credit/
const BANKISH = new RegExp(`${BANK_CN}|(?<![a-z])(?:${BANK_EN})(?![a-z])|信用证|l/c|(?<![a-z])lcs?(?![a-z])|letters? of credit`)

export type Kind = LossGroup['party']
type Mode = 'named' | 'generic' | 'new' | 'same' | 'plural' | 'items'

export interface Mention {
  start: number
  end: number
  mode: Mode
  kind?: Kind
  name?: string
}

type Builder = (m: RegExpExecArray, original: string) => Omit<Mention, 'start' | 'end'> | undefined

const kindOf = (word: string | undefined): Kind | undefined => (word === undefined || word === '' ? undefined : BANKISH.test(word) ? 'bank' : 'buyer')

const GENERIC_NAME_WORDS = /^(?:the|our|my|a|an|this|that|its|their|his|her|issuing|opening|l\/c|lc|same|another|other|one|different|second|first|buyer|customer|client|importer|and|or|of|from|to|with|by|owes?|owed)$/

/** A name as the user wrote it, with leading articles and role words removed; undefined when nothing is left. */
function cleanName(raw: string): string | undefined {
  const words = raw.trim().split(/\s+/)
  while (words.length && GENERIC_NAME_WORDS.test(words[0]!.toLowerCase())) words.shift()
  const name = words.join(' ').trim()
  return name && !/^(?:bank|co\.?|ltd\.?|inc\.?|gmbh|limited|公司|银行)$/i.test(name) ? name : undefined
}

// In priority order: where two readings overlap, the earlier one wins.
const MENTIONS: Array<[RegExp, Builder]> = [
  // "两个买家", "三家客户", "不同的开证行", "two buyers", "different banks": each amount that follows is its own party.
  [new RegExp(`${NUM_CN}\\s*(?:个|家|位)\\s*(?:不同的?)?\\s*(${BUYER_CN}|${BANK_CN})|不同的?\\s*(${BUYER_CN}|${BANK_CN})`, 'g'), (m) => ({ mode: 'plural', kind: kindOf(m[1] ?? m[2]) })],
  [new RegExp(`(?<![a-z])(?:${NUM_EN}\\s+(?:different\\s+)?|different\\s+)(buyers|customers|importers|clients|issuing banks|banks)(?![a-z])`, 'g'), (m) => ({ mode: 'plural', kind: kindOf(m[1]) })],
  // "同一个客户", "都是一个买家的", "same buyer".
  [new RegExp(`同(?:一|一个|一家|一位|个|家)\\s*(${BUYER_CN}|${BANK_CN})?|都是(?:一|一个|一家)\\s*(${BUYER_CN}|${BANK_CN})`, 'g'), (m) => ({ mode: 'same', kind: kindOf(m[1] ?? m[2]) })],
  [new RegExp(`(?<![a-z])(?:the\\s+)?same\\s+(${BUYER_EN}|${BANK_EN})(?![a-z])`, 'g'), (m) => ({ mode: 'same', kind: kindOf(m[1]) })],
  // "还有一个买家", "另一个", "另外一家银行", "第二个客户", "another buyer", "the other one".
  [new RegExp(`(?:还有|另外还有|另外|另|又有?|再有?|再加上?|加上)\\s*(?:一|1)?\\s*(?:个|家|位)\\s*(${BUYER_CN}|${BANK_CN})?|第[一二三四五六七八九十\\d]+\\s*(?:个|家|位)\\s*(${BUYER_CN}|${BANK_CN})?`, 'g'), (m) => ({ mode: 'new', kind: kindOf(m[1] ?? m[2]) })],
  [new RegExp(`(?<![a-z])(?:another|one more|a second|the second|the other|other)\\s+(${BUYER_EN}|${BANK_EN}|one)(?![a-z])|(?<![a-z])the other(?![a-z])`, 'g'), (m) => ({ mode: 'new', kind: kindOf(m[1]) })],
  // "一个客户欠20万", "一个欠8万": a party among several.
  [new RegExp(`(?<![同另第这那哪每任某单唯])一(?:个|家|位)\\s*(${BUYER_CN}|${BANK_CN})|(?<![同另第这那哪每任某单唯])一(?:个|家)(?=\\s*(?:欠|拖欠|没付|未付|不付|拖|是|有))`, 'g'), (m) => ({ mode: 'new', kind: kindOf(m[1]) })],
  [new RegExp(`(?<![a-z])one(?:\\s+(${BUYER_EN}|${BANK_EN}))?(?=\\s+(?:owes|owed|has|had|is|was|didn))`, 'g'), (m) => ({ mode: 'new', kind: kindOf(m[1]) })],
  // "三票", "两张发票", "两笔货款", "two invoices", "2 L/Cs": several amounts against one party.
  [new RegExp(`${NUM_CN}\\s*(?:票|张|笔|批|单)\\s*(信用证|发票|货物?|订单|货款)?`, 'g'), (m) => ({ mode: 'items', kind: m[1] === '信用证' ? 'bank' : undefined })],
  [new RegExp(`(?<![a-z])${NUM_EN}\\s+(invoices|shipments|orders|bills|l/cs|lcs|letters of credit)(?![a-z])`, 'g'), (m) => ({ mode: 'items', kind: /l|letter/.test(m[1]![0]!) && m[1] !== 'invoices' ? 'bank' : undefined })],
  // Names: "买方A", "客户B", "买家1", "A客户", "B公司", "Gamma公司", "ACME Co., Ltd.", "德意志银行", "buyer A".
  [new RegExp(`(${BUYER_CN}|${BANK_CN})\\s*([a-z]|[甲乙丙丁]|\\d{1,2})(?![a-z0-9])`, 'g'), (m, o) => ({ mode: 'named', kind: kindOf(m[1]), name: o.slice(m.index, m.index + m[0].length).replace(/\s+/g, '') })],
  [
    /(?<![a-z])(buyer|customer|importer|client|bank)\s+([a-z]|\d{1,2})(?![a-z0-9'])/g,
    // Only "buyer A", never the article in "the buyer a year ago".
    (m, o) => (/[A-Z\d]/.test(o[m.index + m[0].length - m[2]!.length]!) ? { mode: 'named', kind: kindOf(m[1]), name: o.slice(m.index, m.index + m[0].length) } : undefined),
  ],
  // "A欠10万美元，B欠5万美元": a capital letter (or 甲乙) standing for a buyer right before what it owes.
  [/(?<![a-z0-9])([a-z]|[甲乙丙丁])(?=\s*(?:欠|拖欠|没付|未付|不付|拖了))/g, (m, o) => (/[A-Z甲乙丙丁]/.test(o[m.index]!) ? { mode: 'named', kind: 'buyer', name: o[m.index]! } : undefined)],
  [new RegExp(`(?<![a-z0-9])([a-z]|[甲乙丙丁])\\s*(公司|${BUYER_CN}|银行)`, 'g'), (m, o) => ({ mode: 'named', kind: kindOf(m[2]), name: o.slice(m.index, m.index + m[0].length).replace(/\s+/g, '') })],
  [
    /(?<![a-z])([a-z][a-z0-9&'.-]*(?:\s+[a-z0-9&'.-]+){0,4}?)\s*(公司|co\.?,?\s*ltd\.?|gmbh|inc\.?|llc|ltd\.?|limited|corp\.?|corporation|pte\.?\s*ltd\.?)(?![a-z])/g,
    (m, o) => {
      const name = cleanName(o.slice(m.index, m.index + m[0].length))
      return name ? { mode: 'named', kind: 'buyer', name } : undefined
    },
  ],
  [
    /([^\s，,。；;、:：是的在由被和与跟给从向欠了开证行的另]{2,8})银行/g,
    (m, o) => {
      const name = o.slice(m.index, m.index + m[0].length).replace(/^(?:外|还有|以及|此外|然后|而且|并且|如果|假如)+/, '')
      return name.length > 2 ? { mode: 'named', kind: 'bank', name } : { mode: 'generic', kind: 'bank' }
    },
  ],
  [
    /(?<![a-z])([a-z][a-z&'.]*(?:\s+[a-z&'.]+){0,3}?)\s+bank(?![a-z])/g,
    (m, o) => {
      const name = cleanName(o.slice(m.index, m.index + m[1]!.length))
      return name ? { mode: 'named', kind: 'bank', name: `${name} Bank` } : { mode: 'generic', kind: 'bank' }
    },
  ],
  [new RegExp(`(?<![a-z])(${BUYER_EN}|${BANK_EN})(?![a-z])`, 'g'), (m) => ({ mode: /s$/.test(m[1]!) ? 'plural' : 'generic', kind: kindOf(m[1]) })],
  [new RegExp(`(${BUYER_CN})`, 'g'), () => ({ mode: 'generic', kind: 'buyer' })],
  [new RegExp(`(${BANK_CN})|信用证|l/c|(?<![a-z])lc(?![a-z])|letter of credit`, 'g'), () => ({ mode: 'generic', kind: 'bank' })],
]

export function findMentions(f: string, original: string): Mention[] {
  const accepted: Mention[] = []
  // Characters already inside an accepted mention: an overlap check that stays linear with many mentions.
  const taken = new Uint8Array(f.length)
  for (const [re, build] of MENTIONS) {
    re.lastIndex = 0
    for (let m = re.exec(f); m; m = re.exec(f)) {
      if (m[0].length === 0) {
        re.lastIndex++
        continue
      }
      const start = m.index
      const end = start + m[0].length
      if (taken.subarray(start, end).includes(1)) continue
      const built = build(m, original)
      if (built) {
        accepted.push({ start, end, ...built })
        taken.fill(1, start, end)
      }
    }
  }
  return accepted.sort((a, b) => a.start - b.start)
}
