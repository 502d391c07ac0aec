import { parseAllMoney, type MoneyAmount, type MoneySpan } from '../policy/amount.js'
import { amountRoles, type AmountRole } from '../policy/losses.js'
import { findMonths, type MonthRef } from '../policy/dates.js'
import type { PlaceMatch, PlaceResolver } from '../policy/places.js'
import { standardWording } from '../text/colloquial.js'
import { normalize } from '../text/normalize.js'
import { asksQuestion } from '../text/question.js'
import { wordingOf, type Act, type Acts } from './acts.js'
import { splitClauses, respectively, type Clause } from './clauses.js'
import type { Lexicon, WordingFile } from './lexicon.js'
import { findStatedFacts, type StatedFact } from './stated.js'
import { wantedBy, type Wanted } from './wants.js'

/**
 * One reading of a message: normalised once, its dialogue act, its clauses (the parts to answer) and the facts it
 * states, typed. Skills, the facts observer and the dispatcher ask the reading; none reads the raw text again
 * for the same thing. Entities are read on first use and kept, so a message nobody asks about costs nothing.
 */
export interface Reading {
  /** As typed, trimmed. */
  text: string
  /** Half-width, simplified, lower-case, colloquial and typo wording made standard. */
  norm: string
  act: Act
  /** Some part of it asks something. */
  asks: boolean
  /** Leans on the last answer ("那宝安呢", "如果是信用证呢"). */
  readonly leaning: boolean
  /** Points back at what the last answer was about ("这个要多久", "它包括什么", "is it free?"). */
  readonly refers: boolean
  /** The kind of value the question asks for ("要多久": a duration), if it asks for one. */
  readonly wanted: Wanted | undefined
  /** Corrects what was said before ("不对，是600万美元"). */
  correcting: boolean
  /** The answer to the bot's yes/no question of fact ("是的", "不是", "对，用了信用证"); undefined: neither. */
  readonly answer: boolean | undefined
  /**
   * Asks something rather than answering the question the bot put (a form's field): the strict test, by where the
   * question words stand. `narrative`: inside a free account of events only a question mark at the end counts.
   */
  asksInstead(narrative?: boolean): boolean
  /** Accepts the bot's offer ("好的", "要", "可以"; "需要转人工吗？"). */
  readonly accepts: boolean
  /** The text without a request for a person: what else the message says. */
  withoutPerson: string
  /** The parts to answer: greetings and politeness dropped, "X和Y分别…" as two questions. */
  readonly clauses: Clause[]
  /** Amounts of money, in order. */
  readonly money: MoneyAmount[]
  /** Each amount with what it is (the firm's exports, a loss, a sum paid back, a limit), from the words around it. */
  readonly amounts: Array<MoneySpan & { role: AmountRole }>
  /** Months and years named, relative ones resolved against the message time. */
  readonly months: MonthRef[]
  /** The district the message names, by district, street or pinyin. */
  readonly place: PlaceMatch | undefined
  /** Paid by letter of credit (true), by another way (false), or not said. */
  readonly lc: boolean | undefined
  /** Phone numbers, percentages, caps and periods the user states as facts of the policy (to check against it). */
  readonly stated: StatedFact[]
}

export interface Reader {
  read(text: string, now: number): Reading
  acts: Acts
  lexicon: Lexicon
}

export interface ReaderDeps {
  wording: WordingFile
  places?: PlaceResolver
}

/** A part after a comma this short leans on the part before ("能赔多少，怎么算的"): it is not a question of its own. */
const OWN_QUESTION_MIN = 6

/**
 * "资信报告免费几份，超出的收不收费", "最多赔多少，理赔打哪个电话": two questions joined by a comma, each asking on
 * its own, are two parts to answer. A statement before a question ("买家破产了，能赔吗") stays with it.
 */
function twoQuestions(clause: Clause, acts: Acts): Clause[] {
  const pieces = clause.text.split(/[，,]/).map((p) => p.trim())
  if (pieces.length < 2) return [clause]
  const out: Clause[] = []
  let pending: string[] = []
  // Each piece asks or not, read once.
  const asks = pieces.map((p) => acts.asks(standardWording(normalize(p))))
  for (const [i, piece] of pieces.entries()) {
    pending.push(piece)
    // A piece that asks closes a part, unless the next piece is too short to ask alone.
    const next = pieces[i + 1]
    const nextStands = next !== undefined && next.length >= OWN_QUESTION_MIN && asks[i + 1]!
    if (asks[i]! && nextStands) {
      out.push({ text: pending.join('，'), asked: true })
      pending = []
    }
  }
  if (out.length === 0) return [clause]
  out.push({ text: pending.join('，'), asked: clause.asked })
  return out
}

/** Paid by letter of credit (true: "信用证", "开证行"), by another way (false: "电汇", "不是信用证"), or not said. */
export function readLc(lexicon: Lexicon, norm: string): boolean | undefined {
  return lexicon.has('notLc', norm) ? false : lexicon.has('lc', norm) ? true : undefined
}

/** The understanding stage, built once per knowledge version. */
export function createReader({ wording, places }: ReaderDeps): Reader {
  const { lexicon, acts } = wordingOf(wording)

  function read(raw: string, now: number): Reading {
    const text = raw.trim()
    const norm = standardWording(normalize(text))
    const act = acts.actOf(norm)
    let clauses: Clause[] | undefined
    let money: MoneyAmount[] | undefined
    let months: MonthRef[] | undefined
    let amounts: Array<MoneySpan & { role: AmountRole }> | undefined
    let place: { v: PlaceMatch | undefined } | undefined
    let lc: { v: boolean | undefined } | undefined
    let stated: StatedFact[] | undefined
    return {
      text,
      norm,
      act,
      asks: acts.asks(norm),
      correcting: act === 'correction',
      // Read on first use: most messages are never asked these.
      get leaning() {
        return acts.leaning(norm)
      },
      get refers() {
        return lexicon.has('reference', norm)
      },
      get wanted() {
        return wantedBy(norm)
      },
      get answer() {
        return acts.answer(norm, 'fact')
      },
      get accepts() {
        return acts.answer(norm, 'offer') === true
      },
      asksInstead: (narrative = false) => asksQuestion(text, narrative),
      get withoutPerson() {
        return acts.withoutPerson(norm)
      },
      get clauses() {
        return (clauses ??= splitClauses(text)
          .filter((c) => !acts.phatic(c.text))
          .flatMap((c) => twoQuestions(c, acts))
          .flatMap(respectively))
      },
      get money() {
        return (money ??= parseAllMoney(text))
      },
      get amounts() {
        return (amounts ??= amountRoles(text))
      },
      get months() {
        return (months ??= findMonths(norm, new Date(now)))
      },
      get place() {
        return (place ??= { v: places?.resolve(norm) }).v
      },
      get lc() {
        return (lc ??= { v: readLc(lexicon, norm) }).v
      },
      get stated() {
        return (stated ??= findStatedFacts(norm, acts))
      },
    }
  }

  return { read, acts, lexicon }
}
