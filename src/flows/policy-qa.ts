import type { Skill } from '../engine/skill.js'
import { ownerKey, text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { isLowConfidence, noteAbstention, type UnansweredRecorder } from '../handoff/unanswered.js'
import type { Composer } from '../llm/composer.js'
import { abstention, composeAnswer, composeFull, reportLine } from '../rag/answer.js'
import type { Analyzer } from '../rag/analyzer.js'
import type { Retriever } from '../rag/retriever.js'

export interface PolicyQaDeps {
  knowledge: Knowledge
  analyzer: Analyzer
  retriever: Retriever
  /** Model mode: the model phrases the answer from the same sections; the extractive answer is the fallback. */
  model?: Composer
  /** The unanswered-questions log for staff: abstentions, weak answers, model answers the fact guard threw out. */
  unanswered?: UnansweredRecorder
}

/** Policy questions answered from the knowledge base, citing the section; abstains when unsure. */
export function createPolicyQaSkill({ knowledge, analyzer, retriever, model, unanswered }: PolicyQaDeps): Skill {
  return {
    key: 'policy-qa',
    menuLabel: '政策问答（保什么、赔多少、怎么领保单等）',
    detect: () => false,
    start: (ctx) =>
      ctx.lang === 'en'
        ? [text('Please type your question, for example “What is the indemnity ratio?” or “How do I get the policy online?”')]
        : [text('请直接输入您的问题，例如：“赔付比例是多少？”“保单怎么领取？”')],
    handle: async function answerPolicyQuestion(ctx) {
      // ctx.norm has colloquial, Cantonese and typo wording already rewritten (几时→什么时候, 陪付→赔付).
      const retrieval = retriever.retrieve(ctx.norm, ctx.lang)
      // Abstention is decided here, before any model call: no cost, no invention.
      if (!retrieval.sections.length) {
        delete ctx.session.lastSectionIds
        noteAbstention(ctx)
        await unanswered?.record(ctx, 'abstained', retrieval, { topic: retrieval.outOfScope })
        return [text(abstention(knowledge, retrieval.outOfScope, ctx.lang))]
      }
      const answer = composeAnswer(knowledge, retrieval, analyzer, retriever, { lang: ctx.lang, question: ctx.norm })
      ctx.session.lastSectionIds = answer.sectionIds
      if (isLowConfidence(retrieval, ctx.lang)) await unanswered?.record(ctx, 'low-confidence', retrieval)
      if (!model) return [text(answer.text)]
      const composed = await model.compose({
        message: ctx.message,
        owner: ownerKey(ctx.message),
        question: ctx.text,
        norm: ctx.norm,
        lang: ctx.lang,
        sections: retrieval.sections,
        profile: ctx.session.profile,
      })
      if (composed.kind === 'decline') {
        delete ctx.session.lastSectionIds
        noteAbstention(ctx)
        await unanswered?.record(ctx, 'abstained', retrieval)
        return [text(abstention(knowledge, undefined, ctx.lang))]
      }
      if (composed.kind === 'fallback' && composed.reason === 'guard') await unanswered?.record(ctx, 'guarded-out', retrieval, { detail: composed.detail })
      // Any failure (timeout, error, empty, guarded out, over the limit): the embedded answer, as without a model.
      if (composed.kind !== 'answer') return [text(answer.text)]
      // The model never writes citations: the bot appends the sources the answer drew on, and how to report.
      const howToReport = reportLine(knowledge, answer.sectionIds, ctx.norm, ctx.lang)
      const cited = composed.sources.map((id) => citation(knowledge, id))
      return [text([`${composed.text}\n${[...new Set(cited)].join('\n')}`, howToReport].filter(Boolean).join('\n\n'))]
    },
  }
}

const MORE =
  /^(请|麻烦)?(再)?(详细|具体|完整|全部|展开|全文|原文|多说)(一点|一些|点|些|说说|讲讲|内容|说明|的)?[\s。.!！?？]*$|^(更多|展开全文|看全文|查看全文)$|^(please )?(more|more details?|details|full text|tell me more|show me the full text)( please)?[\s.!?]*$/

/** "详细一点": the full text of the sections behind the last answer. */
export function createMoreDetailSkill({ knowledge }: Pick<PolicyQaDeps, 'knowledge'>): Skill {
  return {
    key: 'more-detail',
    transient: true,
    detect: (ctx) => MORE.test(ctx.norm),
    handle: function showFullSection(ctx) {
      const ids = ctx.session.lastSectionIds
      if (!ids?.length) {
        return [text(ctx.lang === 'en' ? 'Please tell me first which part of the policy you want to know about, e.g. “What is covered?”' : '请先告诉我您想了解哪方面的政策，例如“保障范围是什么？”')]
      }
      return [text(composeFull(knowledge, ids, ctx.lang))]
    },
  }
}

/** Questions about topics the brief does not cover (招聘, 汇率, 其他城市…) get an honest "not in the materials". */
export function createOffTopicSkill({ knowledge, retriever, unanswered }: Pick<PolicyQaDeps, 'knowledge' | 'retriever' | 'unanswered'>): Skill {
  return {
    key: 'off-topic',
    detect: (ctx) => retriever.offTopic(ctx.norm) !== undefined,
    handle: async function declineOffTopic(ctx) {
      delete ctx.session.lastSectionIds
      const topic = retriever.offTopic(ctx.norm)
      noteAbstention(ctx)
      await unanswered?.record(ctx, 'abstained', undefined, { topic })
      return [text(abstention(knowledge, topic, ctx.lang))]
    },
  }
}
