import type { Logger } from 'pino'
import { createEngine, type Engine } from './engine/engine.js'
import type { Skill } from './engine/skill.js'
import { createContactsSkill } from './flows/contacts.js'
import { createMenuSkill } from './flows/menu.js'
import { createMoreDetailSkill, createPolicyQaSkill } from './flows/policy-qa.js'
import type { Knowledge } from './knowledge/knowledge.js'
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
  store: Store
}

/** Wire the engine: knowledge → analyzer → retriever → skills (in routing order) → engine. */
export function createBot({ knowledge, segmenter, store, logger, now }: BotDeps): Bot {
  const analyzer = createAnalyzer({ segmenter, synonymGroups: knowledge.synonyms.groups })
  const retriever = createRetriever(knowledge, analyzer)
  const qa = createPolicyQaSkill({ knowledge, analyzer, retriever })

  // Routing order matters: the first skill whose detect() matches takes the turn; Q&A takes the rest.
  // Rule-based skills (eligibility, payout, coverage, manager routing) and the loss-report flow go here.
  const skills: Skill[] = []
  skills.push(createMenuSkill(() => [qa, ...skills]), createMoreDetailSkill({ knowledge }), createContactsSkill({ knowledge }))

  const engine = createEngine({ store, skills, otherwise: qa, logger, now })
  return { engine, knowledge, analyzer, retriever, store }
}
