import type { WordingFile } from '../knowledge/schema.js'
import { escapeRegExp } from '../text/terms.js'

export type { WordingFile }

/*
 * knowledge/wording.json: how users say things (yes, no, thanks, a correction, a question, a fact's name), as
 * phrase lists. Compiled once into matchers here; the understanding stage (reading.ts) is the only place that
 * uses them, so a new way of saying something is a data change with a test, not another regular expression.
 */



/** One phrase as a pattern: "…" is a gap of up to eight characters; a Latin phrase stands as whole words. */
function phrasePattern(phrase: string): string {
  const body = phrase
    .split('…')
    .map((part) => escapeRegExp(part).replace(/ /g, '\\s+'))
    .join('.{0,8}?')
  return /^[a-z]/.test(phrase) ? `(?<![a-z])${body}${/[a-z]$/.test(phrase) ? '(?![a-z])' : ''}` : body
}

/** Longest phrases first, so "不对不对" is tried before "不对". */
function alternation(list: readonly string[]): string {
  return [...new Set(list)]
    .sort((a, b) => b.length - a.length)
    .map(phrasePattern)
    .join('|')
}

export interface Lexicon {
  /** Anywhere in the text. */
  has(list: keyof Lists, norm: string): boolean
  /** The whole text is one phrase of the list, with trailing particles and punctuation. */
  whole(list: keyof Lists, norm: string): boolean
  /** The text starts with a phrase of the list. */
  starts(list: keyof Lists, norm: string): boolean
  /** A phrase of the list opens the text or a clause of it ("…, who is our manager?"). */
  leads(list: keyof Lists, norm: string): boolean
  /** The pattern of a list, for a caller that must find where a phrase is. */
  source(list: keyof Lists): string
}

export type Lists = WordingFile['acts'] & WordingFile['facts']

const TRAIL = '[\\s!！。.~～,，啦了呀哈啊吗呢?？]*'

/** Compile the wording file into matchers (once per knowledge version). */
export function compileLexicon(file: WordingFile): Lexicon {
  const lists: Lists = { ...file.acts, ...file.facts }
  const sources = new Map<keyof Lists, string>()
  const anywhere = new Map<keyof Lists, RegExp>()
  const wholes = new Map<keyof Lists, RegExp>()
  const starts = new Map<keyof Lists, RegExp>()
  const leads = new Map<keyof Lists, RegExp>()
  for (const key of Object.keys(lists) as Array<keyof Lists>) {
    const alt = alternation(lists[key])
    sources.set(key, alt)
    anywhere.set(key, new RegExp(alt))
    wholes.set(key, new RegExp(`^(?:${alt})${TRAIL}$`))
    starts.set(key, new RegExp(`^(?:${alt})`))
    leads.set(key, new RegExp(`(?:^|[,，.;；!?！？:：]\\s*)(?:${alt})`))
  }
  return {
    has: (list, norm) => anywhere.get(list)!.test(norm),
    whole: (list, norm) => wholes.get(list)!.test(norm),
    starts: (list, norm) => starts.get(list)!.test(norm),
    leads: (list, norm) => leads.get(list)!.test(norm),
    source: (list) => sources.get(list)!,
  }
}
