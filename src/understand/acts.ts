import { compileLexicon, type Lexicon, type WordingFile } from './lexicon.js'

/**
 * What a message (or one clause of it) does in the conversation, whatever it is about: asks, states a fact,
 * corrects what was said before, answers the bot's yes/no question, greets, thanks, complains, or asks for a person.
 */
export type Act = 'question' | 'statement' | 'correction' | 'confirmation' | 'denial' | 'greeting' | 'thanks' | 'complaint' | 'person'

// "嗯，是的" is yes, "嗯" alone is not: a filler before the answer is dropped, a filler alone answers nothing.
const LEADING_FILLER = /^(?:嗯+|哦+|噢|喔|额|呃|啊)[，,、\s]+/
// "是的，用了信用证", "不是，是600万": an answer, then more of it after a separator.
const SEPARATED = /^([^，,。.!！]+)[，,。.!！]/

export interface Acts {
  /** The dialogue act of a normalised clause or message. */
  actOf(norm: string): Act
  /** Whether it asks something (a question mark, 吗/呢, 多少, how…). */
  asks(norm: string): boolean
  /**
   * A yes or a no to the bot's question; undefined when it is neither. For an `offer` ("需要转人工吗？"), "好的",
   * "可以", "ok" accept too; for a question of `fact` ("合同是贵司签的吗？") they say nothing either way.
   */
  answer(norm: string, to: 'fact' | 'offer'): boolean | undefined
  /** A greeting, a check-in, thanks or politeness only ("亲，在吗", "请问一下哈", an emoji). */
  phatic(clause: string): boolean
  /** Leans on the last answer: "那宝安呢", "如果是信用证呢", "what about Nanshan?". */
  leaning(norm: string): boolean
  /** Starts by correcting what was said: "不对，是600万", "搞错了，我们其实在光明", "sorry, actually 7.5M". */
  correcting(norm: string): boolean
  /** Asks for a person (转人工, talk to a human). */
  wantsPerson(norm: string): boolean
  /** The message without its request for a person (what else it says). */
  withoutPerson(norm: string): string
}


export function createActs(lex: Lexicon): Acts {
  const politeness = new RegExp(`^(?:${lex.source('politeness')}|[,，~～\\s.。!！]|\\p{Extended_Pictographic})+$`, 'iu')
  const leaningEnd = /呢[\s?？!！。.~]*$/
  const person = new RegExp(lex.source('person'), 'g')

  function answer(norm: string, to: 'fact' | 'offer'): boolean | undefined {
    const t = norm.trim().replace(LEADING_FILLER, '')
    // "是的，用了信用证": the answer before a separator, for a question of fact; an offer wants the whole message.
    const head = to === 'fact' ? (SEPARATED.exec(t)?.[1] ?? t) : t
    const is = (list: 'yes' | 'no' | 'accept') => lex.whole(list, t) || lex.whole(list, head)
    if (is('no')) return false
    if (is('yes') || (to === 'offer' && is('accept'))) return true
    return undefined
  }

  // "收不收费", "赔不赔", "行不行": a verb, 不, the same verb asks.
  const aNotA = /(\p{Script=Han})[不没]\1/u
  function asks(norm: string): boolean {
    return lex.has('question', norm) || lex.leads('questionLead', norm) || aNotA.test(norm)
  }

  return {
    asks,
    answer,
    phatic: (clause) => politeness.test(clause.trim()),
    leaning: (norm) => lex.starts('leaning', norm) || leaningEnd.test(norm),
    correcting: (norm) => lex.starts('correction', norm.replace(/^(?:[嗯啊哦噢呃]\s*[,，]?\s*)/, '')) || lex.has('correctionInside', norm),
    wantsPerson: (norm) => lex.has('person', norm) || lex.whole('personAlone', norm),
    withoutPerson: (norm) => norm.replace(person, ''),
    actOf(norm) {
      const t = norm.trim()
      if (!t) return 'statement'
      if (lex.whole('thanks', t)) return 'thanks'
      if (lex.has('person', t) || lex.whole('personAlone', t)) return 'person'
      if (lex.whole('greeting', t) || politeness.test(t)) return 'greeting'
      // "不是" alone denies; "不是，是600万美元" corrects.
      if (lex.whole('no', t)) return 'denial'
      if (lex.whole('yes', t)) return 'confirmation'
      // "不对，是600万美元" opens with it; "财务话其实系820万美金" says it inside.
      if (lex.starts('correction', t.replace(/^(?:[嗯啊哦噢呃]\s*[,，]?\s*)/, '')) || lex.has('correctionInside', t)) return 'correction'
      const yn = answer(t, 'fact')
      if (yn !== undefined && t.length <= 8) return yn ? 'confirmation' : 'denial'
      if (lex.has('complaint', t)) return 'complaint'
      return asks(t) ? 'question' : 'statement'
    },
  }
}

const compiled = new WeakMap<WordingFile, { lexicon: Lexicon; acts: Acts }>()

/** The lexicon and the act reader of a wording file, compiled once per file (per knowledge version). */
export function wordingOf(wording: WordingFile): { lexicon: Lexicon; acts: Acts } {
  let c = compiled.get(wording)
  if (!c) {
    const lexicon = compileLexicon(wording)
    c = { lexicon, acts: createActs(lexicon) }
    compiled.set(wording, c)
  }
  return c
}
