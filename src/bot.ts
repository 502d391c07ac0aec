import type { Logger } from 'pino'
import { createEngine, type Engine } from './engine/engine.js'
import type { Skill } from './engine/skill.js'
import { createAlternativesSkill } from './flows/alternatives.js'
import { createClaimSkill } from './flows/claim/claim-skill.js'
import { createModelFacts } from './flows/claim/model-extract.js'
import { createClaimStatusSkill } from './flows/claim/status-skill.js'
import { createContactsSkill } from './flows/contacts.js'
import { createCoverageSkill } from './flows/coverage.js'
import { createEligibilitySkill } from './flows/eligibility.js'
import { createFactsObserver } from './flows/facts.js'
import { createHandoffSkill } from './flows/handoff.js'
import { createManagerSkill } from './flows/manager.js'
import { createLossAdviceSkill } from './flows/loss-advice.js'
import { createMenuSkill } from './flows/menu.js'
import { createOutsideShenzhenSkill } from './flows/outside-shenzhen.js'
import { createPayoutSkill } from './flows/payout.js'
import { createRosterSkill } from './flows/roster.js'
import { createMoreDetailSkill, createOffTopicSkill, createPolicyQaSkill } from './flows/policy-qa.js'
import type { WeChatApi } from './channels/wechat/api.js'
import { createHandoffDesk, type HandoffDesk } from './handoff/desk.js'
import { DEFAULT_HOURS, parseHours, type OfficeHours } from './handoff/hours.js'
import { wechatPusher } from './handoff/pushers.js'
import { handoffTexts } from './handoff/texts.js'
import { createHandoffTurnHook, type TurnCache } from './handoff/turn-hook.js'
import { createUnansweredRecorder } from './handoff/unanswered.js'
import type { Knowledge } from './knowledge/knowledge.js'
import type { ModelFactory, ModelMode } from './llm/mode.js'
import { createPlaceResolver, type PlaceResolver } from './policy/places.js'
import { memoize } from './text/memo.js'
import { createAnalyzer, type Analyzer } from './rag/analyzer.js'
import { createRetriever, type Retriever } from './rag/retriever.js'
import type { Segmenter } from './rag/segmenter.js'
import type { Store } from './store/types.js'
import { createReader, type Reader } from './understand/reading.js'
import { createFactCheckSkill } from './flows/fact-check.js'
import { createClarifyFigureSkill } from './flows/clarify.js'

export interface BotDeps {
  knowledge: Knowledge
  segmenter: Segmenter
  store: Store
  logger: Logger
  now?: () => number
  /**
   * Set when managers are notified (an outbox worker runs): the store queues each report's notice with the report,
   * and this asks the worker to deliver it now. Unset: reports are stored, nobody is notified.
   */
  deliverNotices?: () => void
  /** Model mode (OPENAI_API_KEY set): the model phrases free-form answers. Without it the bot is fully embedded. */
  model?: ModelFactory
  /** 转人工: HANDOFF_HOURS, HANDOFF_PICKUP_MINUTES (defaults: weekdays 9–18, 10 min), the WeChat API for pushing. */
  handoff?: { hours?: OfficeHours; pickupMinutes?: number; wechatApi?: WeChatApi }
}

export interface Bot {
  engine: Engine
  knowledge: Knowledge
  analyzer: Analyzer
  retriever: Retriever
  places: PlaceResolver
  store: Store
  /** Every skill in routing order, Q&A last: for tests and the benchmark's worst-input report. */
  skills: Skill[]
  /** Set in model mode: counters, health, the composer. */
  model?: ModelMode
  /** The staff queue (转人工): the console and the background sweep use it. */
  handoff: HandoffDesk
  /** The understanding stage (every message read once). */
  reader: Reader
}

/** Wire the engine: knowledge → analyzer → retriever → skills (in routing order) → engine. */
export function createBot({ knowledge, segmenter, store, logger, now, deliverNotices, model, handoff }: BotDeps): Bot {
  const analyzer = createAnalyzer({ segmenter, synonymGroups: knowledge.synonyms.groups })
  const retriever = createRetriever(knowledge, analyzer)
  const resolver = createPlaceResolver(knowledge.streets, knowledge.managers.groups.flatMap((g) => g.districts))
  // Several skills look for a place in the same message.
  const places: PlaceResolver = { ...resolver, resolve: memoize((t) => resolver.resolve(t), 500) }
  // The understanding stage: every message is read once into its act, clauses and typed facts.
  const reader = createReader({ wording: knowledge.wording, places })
  const modelMode = model?.({ knowledge, kv: store.kv, logger, now, places })
  const unanswered = createUnansweredRecorder({ log: store.unanswered, kv: store.kv, logger, now })
  const qa = createPolicyQaSkill({ knowledge, analyzer, retriever, model: modelMode?.composer, unanswered })
  // 转人工: the queue lives in the store; a person's messages reach WeChat users by customer-service message.
  const texts = handoffTexts(knowledge)
  const pickupMinutes = handoff?.pickupMinutes ?? 10
  const desk = createHandoffDesk({ handoffs: store.handoffs, clock: store.clock?.bind(store), logger, now, texts, pickupMinutes })
  desk.usePusher('wechat', wechatPusher({ kv: store.kv, api: handoff?.wechatApi, logger }))
  const turnCache: TurnCache = new WeakMap()
  const askForPerson = createHandoffSkill({ desk, texts, hours: handoff?.hours ?? parseHours(DEFAULT_HOURS), pickupMinutes, reports: store.reports, cache: turnCache })
  const claimsPhone = knowledge.contacts.claimsHotline.phones.join('、')
  const reportHint = `已经发生损失或买家逾期未付，请第一时间报案：回复“报损”由我在线登记，或拨打理赔服务电话 ${claimsPhone}。`

  const status = createClaimStatusSkill({ knowledge, reports: store.reports })
  const modelFacts = modelMode && createModelFacts({ extractor: modelMode.extractor, knowledge, places })
  const claim = createClaimSkill({ knowledge, places, reports: store.reports, deliverNotices, logger, modelFacts })
  const roster = createRosterSkill({ knowledge, roster: store.roster })
  const eligibility = createEligibilitySkill({ knowledge })
  const payout = createPayoutSkill({ knowledge, reportHint })
  const manager = createManagerSkill({ knowledge, places })
  // The menu in the order an exporter needs things; routing below has its own order.
  const menu = createMenuSkill(() => [qa, eligibility, payout, manager, claim, status, roster])
  // Routing order matters: the first skill whose detect() matches takes the turn; Q&A takes the rest.
  // Answers computed by rules come before retrieval so numbers are never left to ranking.
  const skills: Skill[] = [
    askForPerson,
    menu,
    createMoreDetailSkill({ knowledge }),
    // "报案是打88325713对吧？": a fact the user states about the policy, confirmed or corrected before anything else.
    createFactCheckSkill({ knowledge }),
    status,
    claim,
    createOutsideShenzhenSkill({ knowledge }),
    createLossAdviceSkill({ knowledge }),
    roster,
    eligibility,
    createCoverageSkill({ knowledge, reportHint }),
    payout,
    createOffTopicSkill({ knowledge, retriever, unanswered }),
    manager,
    createAlternativesSkill({ knowledge }),
    createContactsSkill({ knowledge }),
    // "500万美元可以吗": a figure nothing else claimed, with nothing to say what it is: asked back, never guessed.
    createClarifyFigureSkill({ reader, eligibility, payout }),
  ]

  // Facts said in passing ("我们在沙井", "买家欠了30万美元") are remembered for later answers and follow-ups.
  const observe = createFactsObserver({ knowledge, places })
  const after = createHandoffTurnHook({ desk, texts, cache: turnCache, logger, pickupMinutes })
  const core = createEngine({ store, skills, otherwise: qa, logger, reader, now, observe, after })
  // Model mode frames each turn: one deadline for all its model calls, and the conversation for the next turn.
  const engine = modelMode ? modelMode.wrap(core) : core
  return { engine, knowledge, analyzer, retriever, places, store, skills: [...skills, qa], model: modelMode, handoff: desk, reader }
}
