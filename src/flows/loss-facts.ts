// The facts of one loss as the coverage check and the loss advice read them from messages and remember them.
import type { TurnContext } from '../engine/skill.js'
import { wordingOf } from '../understand/acts.js'
import { readLc } from '../understand/reading.js'
import type { WorkingFacts } from '../engine/types.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import { findOwnName, findRisks, splitMonths } from '../policy/coverage.js'
import { findMonths, findYearlessMonths } from '../policy/dates.js'
import { normalize } from '../text/normalize.js'
import { standardWording } from '../text/colloquial.js'

/** Remembered coverage facts apply to follow-ups for this long. */
export const FOLLOW_UP_MS = 30 * 60 * 1000

export type Ym = { year: number; month?: number }

/** The whole message, normalised like ctx.norm, when the engine hands a skill one clause of it. */
export function wholeNorm(ctx: TurnContext): string {
  return ctx.text === ctx.message.text.trim() ? ctx.norm : standardWording(normalize(ctx.message.text))
}

const LOSS_TOPICS = new Set(['coverage', 'loss-advice', 'payout'])

/** A loss described in the last half hour, whose facts a short question ("能赔吗") refers to. */
export function lossInMind(ctx: TurnContext): boolean {
  const p = ctx.session.profile
  return !!(p.riskIds?.length || p.declared) && !!p.topic && LOSS_TOPICS.has(p.topic) && p.topicAt !== undefined && ctx.now - p.topicAt < FOLLOW_UP_MS
}

/** The coverage facts of one loss, as stored in the flow and merged across messages. */
export interface LossCase {
  declared?: Ym
  due?: Ym
  ownName?: boolean
  lc?: boolean
  riskIds: string[]
  notCovered: string[]
  unsettled: string[]
  /** A month given without its year ("6月30号报关"), kept until the year is known. */
  yearless?: { month: number; day?: number; raw: string }
}

/** What one message says about a loss; `found` when it says anything. */
export interface MessageFacts {
  declared?: Ym & { raw: string; relative: boolean }
  due?: Ym
  yearless?: { month: number; day?: number; raw: string }
  ownName?: boolean
  lc?: boolean
  riskIds: string[]
  notCovered: string[]
  unsettled: string[]
  found: boolean
}

/** Read the loss facts a message states: declaration month, cause, own-name contract, L/C. */
export function readFacts(knowledge: Knowledge, norm: string, now: number): MessageFacts {
  const dated = findMonths(norm, new Date(now))
  const months = splitMonths(norm, dated)
  const yearless = months.declared ? undefined : findYearlessMonths(norm, dated)[0]
  const r = findRisks(knowledge.risks, norm)
  const ownName = findOwnName(norm)
  const lc = readLc(wordingOf(knowledge.wording).lexicon, norm)
  const d = months.declared
  const facts: MessageFacts = {
    declared: d && { year: d.year, month: d.month, raw: d.raw, relative: d.relative },
    due: months.due && { year: months.due.year, month: months.due.month },
    yearless: yearless && { month: yearless.month, day: yearless.day, raw: yearless.raw },
    ownName,
    lc,
    riskIds: r.kinds.map((k) => k.id),
    notCovered: r.notCovered,
    unsettled: r.unsettled,
    found: false,
  }
  facts.found = !!(d || months.due || yearless || ownName !== undefined || lc !== undefined || r.kinds.length || r.notCovered.length || r.unsettled.length)
  return facts
}

/** The message's facts over the remembered ones; `remembered` names what was reused, for "按您前面说的…". */
export function mergeFacts(ctx: TurnContext, knowledge: Knowledge, own: MessageFacts, stored?: LossCase): { loss: LossCase; remembered: Array<keyof WorkingFacts> } {
  const p = ctx.session.profile
  const remembered: Array<keyof WorkingFacts> = []
  // A part of a longer message: facts in the other parts were said now, not earlier.
  const all = wholeNorm(ctx)
  const whole = all !== ctx.norm ? readFacts(knowledge, all, ctx.now) : own
  const pick = <T>(key: keyof WorkingFacts, mine: T | undefined, inMessage: T | undefined, before: T | undefined): T | undefined => {
    if (mine !== undefined) return mine
    if (inMessage !== undefined) return inMessage
    if (before !== undefined) remembered.push(key)
    return before
  }
  const knownRisk = (ids: string[] | undefined) => ids?.filter((id) => knowledge.risks.kinds.some((k) => k.id === id))
  const loss: LossCase = {
    riskIds: [],
    notCovered: [],
    unsettled: [],
    due: own.due ?? stored?.due,
    lc: pick('lc', own.lc, whole.lc, stored?.lc ?? p.lc),
    ownName: pick('ownName', own.ownName, whole.ownName, stored?.ownName ?? p.ownName),
  }
  const said = own.declared ?? whole.declared
  const monthOnly = own.yearless ?? whole.yearless
  const before = stored?.declared ?? p.declared
  if (said) {
    // "2022年" answering "您说的6月30号是哪一年": the month said before, the year said now.
    const pending = !said.month ? stored?.yearless : undefined
    loss.declared = { year: said.year, month: pending ? pending.month : said.month }
  } else if (monthOnly && before) {
    // "那6月30号报关的呢" after "2022年…": the year said before, the month said now.
    loss.declared = { year: before.year, month: monthOnly.month }
    remembered.push('declared')
  } else if (monthOnly ?? stored?.yearless) loss.yearless = monthOnly ?? stored?.yearless
  else loss.declared = pick('declared', undefined, undefined, before)

  // The cause: a newly named risk replaces the old cause; a dispute alone adds to it.
  const src = own.riskIds.length || own.notCovered.length || own.unsettled.length ? own : whole.riskIds.length || whole.notCovered.length || whole.unsettled.length ? whole : undefined
  if (src && (src.riskIds.length || src.notCovered.length)) {
    loss.riskIds = src.riskIds
    loss.notCovered = src.notCovered
    loss.unsettled = src.unsettled
  } else {
    const ids = knownRisk(stored?.riskIds.length ? stored.riskIds : p.riskIds) ?? []
    if (ids.length) remembered.push('riskIds')
    loss.riskIds = ids
    loss.notCovered = stored?.notCovered ?? []
    loss.unsettled = [...new Set([...(stored?.unsettled ?? []), ...(src?.unsettled ?? [])])]
  }
  return { loss, remembered }
}

/** Write what the answer used into the working facts other skills read. */
export function rememberLoss(ctx: TurnContext, loss: LossCase): void {
  const p = ctx.session.profile
  if (loss.declared) p.declared = loss.declared
  if (loss.riskIds.length) p.riskIds = loss.riskIds
  if (loss.lc !== undefined) p.lc = loss.lc
  if (loss.ownName !== undefined) p.ownName = loss.ownName
}

