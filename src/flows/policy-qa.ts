import type { Skill, TurnContext } from '../engine/skill.js'
import { describeWanted, holds } from '../understand/wants.js'
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
  /** A short question that points back at the last answer and asks for something its sections do not hold. */
  function unsaidAboutLast(ctx: TurnContext): string | undefined {
    const { refers, wanted } = ctx.reading
    const last = ctx.session.lastSectionIds
    if (!refers || !wanted || !last?.length || ctx.norm.length > 16) return undefined
    const sections = last.flatMap((id) => knowledge.sections.get(id) ?? [])
    if (!sections.length || sections.some((s) => holds(s.body, wanted))) return undefined
    const topic = sections[0]!.title.replace(/^[一二三四五六七八九十（）()\d.\s、]+/, '')
    const hotlines = knowledge.contacts.policyHotlines.phones.join('、')
    noteAbstention(ctx)
    if (ctx.lang === 'en') {
      return `The policy brief does not say ${describeWanted(wanted, 'en')} for this (${sections[0]!.en ?? topic}). Please call the policy hotline ${hotlines}.\n${citation(knowledge, sections[0]!.id)}`
    }
    return `政策简介里关于“${topic}”没有写${describeWanted(wanted, 'zh')}，我不敢乱说。建议致电政策办理咨询电话 ${hotlines} 咨询。\n${citation(knowledge, sections[0]!.id)}`
  }

  return {
    key: 'policy-qa',
    menuLabel: '政策问答（保什么、赔多少、怎么领保单等）',
    detect: () => false,
    canAnswer: (ctx) => retriever.retrieve(ctx.norm, ctx.lang).sections.length > 0,
    start: (ctx) =>
      ctx.lang === 'en'
        ? [text('Please type your question, for example “What is the indemnity ratio?” or “How do I get the policy online?”')]
        : [text('请直接输入您的问题，例如：“赔付比例是多少？”“保单怎么领取？”')],
    handle: async function answerPolicyQuestion(ctx) {
      // "这个要多久" right after an answer: about what that answer was about. When its sections hold no value of the
      // kind asked (no duration), the brief does not say it: said plainly, never answered from another section.
      const unsaid = unsaidAboutLast(ctx)
      if (unsaid) return [text(unsaid)]
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
