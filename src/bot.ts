import type { Logger } from 'pino'
import { createEngine, type Engine } from './engine/engine.js'
import type { Skill } from './engine/skill.js'
import { createContactsSkill } from './flows/contacts.js'
import { createCoverageSkill } from './flows/coverage.js'
import { createEligibilitySkill } from './flows/eligibility.js'
import { createManagerSkill } from './flows/manager.js'
import { createMenuSkill } from './flows/menu.js'
import { createPayoutSkill } from './flows/payout.js'
import { createRosterSkill } from './flows/roster.js'
import { createMoreDetailSkill, createOffTopicSkill, createPolicyQaSkill } from './flows/policy-qa.js'
import type { Knowledge } from './knowledge/knowledge.js'
import { createPlaceResolver, type PlaceResolver } from './policy/places.js'
import { createAnalyzer, type Analyzer } from './rag/analyzer.js'
import { createRetriever, type Retriever } from './rag/retriever.js'
import type { Segmenter } from './rag/segmenter.js'
import type { Store } from './store/types.js'

export interface BotDeps {
  knowledge: Knowledge
  segmenter: Segmenter
  store: Store
  logger: Logger
  now?: () => number
}

export interface Bot {
  engine: Engine
  knowledge: Knowledge
  analyzer: Analyzer
  retriever: Retriever
  places: PlaceResolver
  store: Store
}

/** Wire the engine: knowledge → analyzer → retriever → skills (in routing order) → engine. */
export function createBot({ knowledge, segmenter, store, logger, now }: BotDeps): Bot {
  const analyzer = createAnalyzer({ segmenter, synonymGroups: knowledge.synonyms.groups })
  const retriever = createRetriever(knowledge, analyzer)
  const places = createPlaceResolver(knowledge.streets, knowledge.managers.groups.flatMap((g) => g.districts))
  const qa = createPolicyQaSkill({ knowledge, analyzer, retriever })
  const claimsPhone = knowledge.contacts.claimsHotline.phones.join('、')
  const reportHint = `已经发生损失或买家逾期未付，请第一时间报案：拨打理赔服务电话 ${claimsPhone}。`

  // Routing order matters: the first skill whose detect() matches takes the turn; Q&A takes the rest.
  // Answers computed by rules come before retrieval so numbers are never left to ranking.
  const skills: Skill[] = []
  skills.push(
    createMenuSkill(() => [qa, ...skills]),
    createMoreDetailSkill({ knowledge }),
    createRosterSkill({ knowledge, roster: store.roster }),
    createEligibilitySkill({ knowledge }),
    createPayoutSkill({ knowledge, reportHint }),
    createCoverageSkill({ knowledge, reportHint }),
    createOffTopicSkill({ knowledge, retriever }),
    createManagerSkill({ knowledge, places }),
    createContactsSkill({ knowledge }),
  )

  const engine = createEngine({ store, skills, otherwise: qa, logger, now })
  return { engine, knowledge, analyzer, retriever, places, store }
}
