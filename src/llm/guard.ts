import type { Currency } from '../policy/amount.js'
import { scanFacts, type Fact, type FactKind } from './facts.js'

/** What the answer may state: every fact of the sources and rule results given to the model this turn. */
export interface Evidence {
  urls: Set<string>
  phones: Set<string>
  amounts: Array<{ value: number; currency: Currency }>
  percents: Set<string>
  /** "2021-1" and bare years "2021". */
  dates: Set<string>
  numbers: Set<string>
  /** The evidence text itself, where a person's name must appear. */
  text: string
  names: readonly string[]
}

export interface Violation {
  kind: FactKind
  raw: string
}

const KIND_NAMES: Record<FactKind, string> = {
  url: '网址',
  phone: '电话',
  amount: '金额',
  percent: '比例',
  date: '日期',
  number: '数字',
  name: '人名',
}

const num = (n: number) => String(Math.round(n * 1e6) / 1e6)

/** Collect the facts of the texts the model was given (sources, rule results, the user's remembered figures). */
export function collectEvidence(texts: readonly string[], names: readonly string[] = []): Evidence {
  const text = texts.join('\n')
  const ev: Evidence = { urls: new Set(), phones: new Set(), amounts: [], percents: new Set(), dates: new Set(), numbers: new Set(), text, names }
  for (const f of scanFacts(text, names)) {
    switch (f.kind) {
      case 'url':
        ev.urls.add(f.key)
        break
      case 'phone':
        ev.phones.add(f.key)
        break
      case 'amount':
        ev.amounts.push({ value: f.value!, currency: f.currency! })
        // "15万美元" also licenses the figure written plainly: "150,000", "15 (万)".
        for (const scale of [1, 1e3, 1e4, 1e6]) ev.numbers.add(num(f.value! / scale))
        break
      case 'percent':
        ev.percents.add(f.key)
        ev.numbers.add(f.key)
        break
      case 'date': {
        // "2021年1月15日" also licenses "2021年1月" and "2021年"; never the other way round.
        const [y, m, d] = f.key.split('-')
        for (const k of [y, m && `${y}-${m}`, d && f.key]) if (k) ev.dates.add(k)
        for (const n of [y, m, d]) if (n) ev.numbers.add(n)
        break
      }
      case 'number':
        ev.numbers.add(f.key)
        break
      case 'name':
        break
    }
  }
  return ev
}

function allowed(f: Fact, ev: Evidence): boolean {
  switch (f.kind) {
    case 'url':
      return ev.urls.has(f.key)
    case 'phone':
      return ev.phones.has(f.key)
    case 'amount':
      // Compared as values: "USD 150,000" is "15万美元"; another currency is another amount.
      return ev.amounts.some(
        (a) => Math.abs(a.value - f.value!) < 0.01 && (a.currency === f.currency || f.currency === 'UNKNOWN' || a.currency === 'UNKNOWN'),
      )
    case 'percent':
      return ev.percents.has(f.key)
    case 'date':
      return ev.dates.has(f.key)
    case 'number':
      return ev.numbers.has(f.key) || ev.dates.has(f.key)
    case 'name':
      return ev.text.includes(f.key) || ev.text.toLowerCase().includes(f.key)
  }
}

/** The facts of an answer that the evidence does not support; empty means the answer may be shown. */
export function checkAnswer(answer: string, ev: Evidence): Violation[] {
  const seen = new Set<string>()
  const out: Violation[] = []
  for (const f of scanFacts(answer, ev.names)) {
    if (allowed(f, ev)) continue
    const id = `${f.kind}:${f.raw}`
    if (seen.has(id)) continue
    seen.add(id)
    out.push({ kind: f.kind, raw: f.raw.trim() })
  }
  return out
}

/** The violations as the repair prompt and the log state them: “90%”（比例）. */
export function describeViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `“${v.raw}”（${KIND_NAMES[v.kind]}）`).join('、')
}
