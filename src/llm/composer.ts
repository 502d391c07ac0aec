import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { BaseMessage, BaseMessageLike } from '@langchain/core/messages'
import type { Logger } from 'pino'
import type { WorkingFacts } from '../engine/types.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import type { Lang } from '../text/lang.js'
import { maskPersonalData } from '../text/mask.js'
import { plainText } from '../text/normalize.js'
import { hashOf, type AnswerCache } from './cache.js'
import { checkAnswer, collectEvidence, describeViolations, type Violation } from './guard.js'
import { recentWithin } from './history.js'
import type { Prompts } from './prompts.js'
import { ruleResults, type RuleResult } from './rule-results.js'
import type { AgentRunner } from './rule-tools.js'
import type { FallbackReason, ModelRuntime } from './runtime.js'
import { contactBlocks, describeFacts, formatBlocks, personNames, ruleBlocks, sectionBlocks, usedSources } from './sources.js'

/** The marker the prompts ask the model to reply with when the sources do not answer the question. */
export const DECLINE = '资料里没有'

export interface ComposeRequest {
  /** The inbound message: the key of the turn (its deadline and memory), shared by every part of a split message. */
  message: object
  owner: string
  /** The question as the user typed it (this part of the message). */
  question: string
  /** Normalised, for the cache key. */
  norm: string
  lang: Lang
  /** What retrieval picked, best first; never empty (abstention is decided before any model call). */
  sections: readonly Section[]
  profile: WorkingFacts
}

export type ComposeResult =
  | { kind: 'answer'; text: string; sources: string[]; cached: boolean }
  | { kind: 'decline' }
  /** detail: for a guarded-out answer, what the fact guard objected to (masked), for the unanswered log. */
  | { kind: 'fallback'; reason: FallbackReason; detail?: string }

export interface Composer {
  compose(req: ComposeRequest): Promise<ComposeResult>
}

export interface ComposerOptions {
  chat: BaseChatModel
  prompts: Prompts
  knowledge: Knowledge
  runtime: ModelRuntime
  cache: AnswerCache
  logger: Logger
  /** Part of the cache key: another model may answer differently. */
  modelName: string
  /** The length asked for in the system prompt (characters, or words in English). */
  maxChars?: number
  /** Tokens of earlier conversation the model sees. */
  historyTokens?: number
  /** OPENAI_RULES=tools: the model calls the rule functions as tools instead of getting their results up front. */
  agent?: AgentRunner
}

const TOOLS_NOTE = '（没有预先计算。涉及用户自己的数字、所在区或报关时间时，调用工具计算，只复述工具结果。）'

// "那…呢", "如果…", "这个": a question that leans on the conversation is answered fresh, never from the cache.
const LEANS_ON_CONTEXT = /^(那|那么|如果|要是|假如|还有|另外|这个|这样|它|what about|how about|and |what if|if |also |it )|呢[\s?？!！。.~]*$/
// Reasoning models may put their thinking in the content.
const THINKING = /<think>[\s\S]*?<\/think>/g
const CITATION_LINE = /^(来源|出处|参考|资料来源|source|sources|reference)[:：]/i

/** The text of a model reply: string content or the text parts of structured content. */
export function contentText(m: BaseMessage): string {
  const c = m.content
  if (typeof c === 'string') return c
  return c.map((p) => (typeof p === 'string' ? p : p.type === 'text' && 'text' in p ? String(p.text) : '')).join('')
}

/** Plain text for WeChat: no thinking, no markdown, no citations of its own (the bot appends the real ones). */
export function cleanAnswer(raw: string): string {
  return plainText(raw.replace(THINKING, ''))
    .split('\n')
    .filter((l) => !CITATION_LINE.test(l.trim()))
    .join('\n')
    .trim()
}

const WRONG_LANGUAGE = '用户用英文提问，回答必须用英文（人名、地名可以保留中文）。'
/** English with at most names in Chinese ("Account manager for Bao'an District (宝安区): 吕宇翔"). */
const readsEnglish = (text: string) => {
  const words = text.match(/[A-Za-z][A-Za-z'’-]*/g)?.length ?? 0
  const han = text.match(/[\u3400-\u9fff]/g)?.length ?? 0
  return words >= 3 && han <= 2 * words
}

/** The question as the cache sees it: normalised, without punctuation or spaces ("保險期限多久？" = "保险期限多久"). */
// A decimal point, thousands comma or percent after a digit is part of a figure ("1.5年" is not "15年").
const cacheWording = (norm: string) => norm.replace(/\s+/g, '').replace(/\p{P}/gu, (ch, i: number, all: string) => (/[.,%]/.test(ch) && /\d/.test(all[i - 1] ?? '') ? ch : ''))

const declines = (text: string) => text.startsWith(DECLINE) || (text.length < 60 && /资料里没有|资料中没有|not in the (policy )?(brief|materials|sources)/i.test(text))

/**
 * Answers a free-form question with the model: the retrieved sections and the rule results over the user's own
 * figures go into one call; the answer passes the fact guard (one repair attempt), or the caller falls back to the
 * embedded answer. Identical questions with identical sources come from the shared cache.
 */
export function createComposer({ chat, prompts, knowledge, runtime, cache, logger, modelName, maxChars = 200, historyTokens = 800, agent }: ComposerOptions): Composer {
  const names = personNames(knowledge)
  const knowledgeHash = hashOf(JSON.stringify([knowledge.policy, knowledge.managers, knowledge.contacts, knowledge.rules, knowledge.risks]))
  const promptsHash = hashOf(...Object.values(prompts.texts))
  const contacts = contactBlocks(knowledge)

  return {
    compose: async function composeAnswer(req) {
      const started = Date.now()
      const stats = runtime.stats
      stats.requests++
      const rules = agent ? [] : ruleResults(knowledge, req.profile)
      const sections = sectionBlocks(knowledge, req.sections)
      const ruled = ruleBlocks(knowledge, rules)
      const facts = describeFacts(req.profile)
      let blocks = [...sections, ...ruled, ...contacts]
      let evidence = collectEvidence([...blocks.map((b) => b.text), facts], names)
      const sourcesText = formatBlocks([...sections, ...contacts])
      const rulesText = agent ? TOOLS_NOTE : ruled.length ? ruled.map((b) => `- ${b.text}`).join('\n') : '（无）'
      const key = LEANS_ON_CONTEXT.test(req.norm)
        ? undefined
        : hashOf(cacheWording(req.norm), req.lang, req.sections.map((s) => s.id).join(','), rulesText, facts, knowledgeHash, promptsHash, modelName)

      const log = (outcome: string, extra: Record<string, unknown> = {}) =>
        logger.info({ llm: outcome, ms: Date.now() - started, model: modelName, sections: req.sections.map((s) => s.id), ...extra }, 'model turn')
      const fallback = (reason: FallbackReason, extra: Record<string, unknown> = {}): ComposeResult => {
        runtime.fallback(reason)
        log(`fallback:${reason}`, extra)
        return { kind: 'fallback', reason }
      }

      if (key) {
        const hit = await cache.get(key).catch(() => undefined)
        if (hit) {
          stats.cacheHits++
          stats.answered++
          log('cache-hit')
          return { kind: 'answer', text: hit.text, sources: hit.sources, cached: true }
        }
      }
      const refused = await runtime.admit(req.owner)
      if (refused) return fallback(refused)

      const turn = runtime.turn(req.message, req.owner)
      // Messages as [role, text] pairs: the chat model builds its own message objects.
      const messages: BaseMessageLike[] = [
        ['system', await prompts.format('system', { decline: DECLINE, max_chars: maxChars })],
        ...recentWithin(turn.history, historyTokens).flatMap((e): BaseMessageLike[] => [
          ['human', e.user],
          ['ai', e.bot],
        ]),
        [
          'human',
          await prompts.format('answer', {
            sources: sourcesText,
            rule_results: rulesText,
            facts: facts || '（无）',
            // Phones and ID numbers stay with us: the provider sees them masked.
            question: maskPersonalData(req.question),
            language: req.lang === 'en' ? 'English' : '中文',
          }),
        ],
      ]
      const usage = { calls: 0, inputTokens: 0, outputTokens: 0 }
      const toolResults: RuleResult[] = []
      // The agent's tool rounds are extra model calls; its tool results become evidence the answer may use.
      const viaAgent = (run: AgentRunner) => async (msgs: BaseMessageLike[], signal: AbortSignal) => {
        const r = await run(msgs, signal)
        toolResults.push(...r.results)
        usage.calls += r.calls - 1
        stats.calls += r.calls - 1
        blocks = [...blocks, ...ruleBlocks(knowledge, r.results)]
        evidence = collectEvidence([...blocks.map((b) => b.text), facts], names)
        return r.message
      }
      const invoke = agent ? viaAgent(agent) : (msgs: BaseMessageLike[], signal: AbortSignal) => chat.invoke(msgs, { signal })
      const ask = async (msgs: BaseMessageLike[]) => {
        const r = await runtime.call(req.message, req.owner, (signal) => invoke(msgs, signal))
        usage.calls++
        const u = (r.message as { usage_metadata?: { input_tokens?: number; output_tokens?: number } } | undefined)?.usage_metadata
        usage.inputTokens += u?.input_tokens ?? 0
        usage.outputTokens += u?.output_tokens ?? 0
        return r
      }

      let reply = await ask(messages)
      let violations: Violation[] = []
      for (let attempt = 0; attempt < 2; attempt++) {
        if (reply.error) return fallback(reply.error, usage)
        const text = cleanAnswer(contentText(reply.message!))
        if (!text) return fallback('empty', usage)
        if (declines(text)) {
          stats.declined++
          log('declined', usage)
          return { kind: 'decline' }
        }
        violations = checkAnswer(text, evidence)
        const wrongLanguage = req.lang === 'en' && !readsEnglish(text)
        if (!violations.length && !wrongLanguage) {
          if (attempt) stats.repaired++
          stats.answered++
          const sources = usedSources(text, blocks, names, req.sections[0]!.id)
          if (key) await cache.set(key, { text, sources }).catch(() => undefined)
          log(attempt ? 'repaired' : 'answered', { ...usage, ...(agent ? { tools: toolResults.length } : {}) })
          return { kind: 'answer', text, sources, cached: false }
        }
        stats.guardRejections++
        const problems = [describeViolations(violations), wrongLanguage ? WRONG_LANGUAGE : ''].filter(Boolean).join('\n')
        // What was wrong, masked: a rejected phone number is logged as 138****0000.
        logger.warn({ llm: 'guard-rejected', attempt, violations: maskPersonalData(problems) }, 'model answer rejected by the fact guard')
        if (attempt) break
        const repair = await prompts.format('repair', { problems, decline: DECLINE })
        reply = await ask([...messages, ['ai', text], ['human', repair]])
      }
      return { ...fallback('guard', { ...usage, violations: violations.length }), detail: maskPersonalData(describeViolations(violations)) }
    },
  }
}
