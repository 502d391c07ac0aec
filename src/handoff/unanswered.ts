import type { Logger } from 'pino'
import type { TurnContext } from '../engine/skill.js'
import type { Retrieval } from '../rag/retriever.js'
import type { KvStore, UnansweredKind, UnansweredLog } from '../store/types.js'
import { createUnansweredGrouper } from './unanswered-groups.js'
import { maskPersonalData } from '../text/mask.js'
import { newId } from './record.js'

/*
 * Answers below these are logged as low-confidence (they are still given): a little above the retriever's
 * abstention floor (score 3, English 2; coverage 0.25), where the golden set shows answers start to be shaky.
 */
const LOW_SCORE = { zh: 4.2, en: 2.8 }
const LOW_COVERAGE = 0.3

/** An answer given from weak evidence: worth a look by staff. A "一并回答" group answers a general question on purpose. */
export function isLowConfidence(r: Retrieval, lang: 'zh' | 'en'): boolean {
  if (r.bundled || !r.sections.length) return false
  return r.score < LOW_SCORE[lang] || r.coverage < LOW_COVERAGE
}

export interface UnansweredRecorder {
  /** Log a question the bot abstained on, answered weakly, or whose model answer the fact guard threw out. */
  record(ctx: TurnContext, kind: UnansweredKind, retrieval?: Retrieval, extra?: { topic?: string; detail?: string }): Promise<void>
}

/**
 * The unanswered-questions log for staff (the console's /console/unanswered): question masked (phones, credit
 * codes, ID numbers), the best sections retrieval found and their scores. A failure to log never fails the answer.
 */
export function createUnansweredRecorder({ log, kv, logger, now = Date.now }: { log?: UnansweredLog; kv: KvStore; logger: Logger; now?: () => number }): UnansweredRecorder {
  const grouper = createUnansweredGrouper(kv)
  return {
    async record(ctx, kind, retrieval, extra = {}) {
      // Staff trying questions in the console's lookup are not users with a gap in the knowledge base.
      if (!log || ctx.message.channel === 'console' || !ctx.text) return
      const sections = retrieval?.hits ?? (retrieval?.sections ?? []).map((s, i) => ({ id: s.id, score: i === 0 ? retrieval!.score : 0 }))
      try {
        const question = maskPersonalData(ctx.text).slice(0, 500)
        await log.add({
          id: newId(),
          at: now(),
          channel: ctx.message.channel,
          kind,
          question,
          group: await grouper.assign(question),
          lang: ctx.lang,
          sections,
          ...(retrieval ? { coverage: Math.round(retrieval.coverage * 100) / 100 } : {}),
          ...(extra.topic ? { topic: extra.topic } : {}),
          ...(extra.detail ? { detail: maskPersonalData(extra.detail).slice(0, 500) } : {}),
        })
      } catch (err) {
        logger.warn({ err: (err as Error).message, kind }, 'unanswered question not logged')
      }
    },
  }
}

// Sessions (one object per turn) whose turn abstained: parts of one message count once, and the turn hook
// resets the streak after a turn that answered.
const abstainedTurns = new WeakSet<object>()

/** Count a turn the bot could not answer towards "twice in a row" (the second offers a person). */
export function noteAbstention(ctx: TurnContext): void {
  if (abstainedTurns.has(ctx.session)) return
  abstainedTurns.add(ctx.session)
  const hf = (ctx.session.profile.handoff ??= {})
  hf.abstained = (hf.abstained ?? 0) + 1
}

/** Whether this turn (its session object) abstained. */
export function abstainedThisTurn(session: object): boolean {
  return abstainedTurns.has(session)
}
