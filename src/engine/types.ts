/** One message from any channel, reduced to what the engine needs. */
export interface InboundMessage {
  channel: 'api' | 'cli' | 'wechat' | 'wechaty' | 'console'
  userId: string
  text: string
  msgId?: string
  /** A menu button or event that names a skill to start ("claim", "menu"…), instead of reading the text. */
  intent?: string
  /** Milliseconds since epoch; defaults to now. */
  receivedAt?: number
}

export interface TextReply {
  type: 'text'
  text: string
}
export type Reply = TextReply

/** Stored state of a multi-turn flow: plain, versioned data so another instance or a restart can continue it. */
export interface FlowState {
  name: string
  v: number
  step: string
  data: Record<string, unknown>
  startedAt: number
}

/** One amount as remembered: value and currency; approx when the user said "大概8万", "600多万". */
export interface RememberedMoney {
  value: number
  currency: 'USD' | 'CNY' | 'HKD' | 'EUR' | 'OTHER' | 'UNKNOWN'
  approx?: boolean
  /** The plausible range of an approximate figure ("600多万" → 6,000,000–7,000,000). */
  low?: number
  high?: number
  /** "超过30万": strictly more than low. */
  lowExclusive?: boolean
}

/** The losses against one buyer or one issuing bank: each shipment, invoice or L/C amount as said. */
export interface LossGroup {
  party: 'buyer' | 'bank'
  /** As the user named it ("买方A", "Gamma公司", "德意志银行"); absent when unnamed. */
  name?: string
  amounts: RememberedMoney[]
}

/**
 * The conversation's working facts: what the user told us in passing or in answers, kept so follow-ups
 * ("那能赔多少", "那宝安呢", "如果是信用证呢") are answered in context. A new topic replaces what no longer applies.
 */
export interface WorkingFacts {
  /** The firm's district, or the district last asked about. */
  district?: string
  /** 2020 exports in USD, once known exactly. */
  exports2020Usd?: number
  /** The loss under discussion, grouped by buyer or issuing bank. */
  losses?: LossGroup[]
  /** Month (or year) the goods were declared for export. */
  declared?: { year: number; month?: number }
  /** Risk kinds (risks.json ids) the user described as the cause. */
  riskIds?: string[]
  /** Paid by letter of credit. */
  lc?: boolean
  /** Contract signed and declared in the firm's own name. */
  ownName?: boolean
  /** Account managers named in the last answer about people ("那另一位呢" means another). */
  people?: string[]
  /** Key of the skill that answered last (for follow-ups), and when. */
  topic?: string
  topicAt?: number
  /** The language of the user's last worded message, for replies to bare numbers ("2" after an English menu). */
  lang?: 'zh' | 'en'
  /** Talking to a person (转人工): what src/handoff keeps between turns. */
  handoff?: HandoffFacts
}

/** The user's side of a handoff to a person, kept in the session (src/handoff). */
export interface HandoffFacts {
  /** Their handoff, from the request until it is closed and they were told everything staff sent. */
  id?: string
  /** Turns in a row in which the bot could not answer: the second offers a person. */
  abstained?: number
  /** The last turn offered a person: a plain "好的" now accepts. */
  offered?: boolean
  /** The last few exchanges (clipped), shown to staff with the request. */
  recent?: Array<{ at: number; user: string; bot: string }>
}

/** What the bot remembers about a user between messages. */
export interface Session {
  v: typeof SESSION_VERSION
  userId: string
  createdAt: number
  updatedAt: number
  /** Facts learned in the conversation (working facts), reused by later answers and flows. */
  profile: WorkingFacts
  /** Sections of the last answer, for "详细一点". */
  lastSectionIds?: string[]
  flow?: FlowState
}

export const SESSION_VERSION = 1

/** A fresh session for a user seen for the first time (or whose stored session is from an old version). */
export function newSession(userId: string, now: number): Session {
  return { v: SESSION_VERSION, userId, createdAt: now, updatedAt: now, profile: {} }
}

/**
 * Who owns a session or a report: the channel and the user id together. A WeChat openid is vouched for by
 * WeChat's signature, a /api/chat userId only by its caller, so the same id on two channels is two people.
 */
export function ownerKey(m: Pick<InboundMessage, 'channel' | 'userId'>): string {
  return `${m.channel}:${m.userId}`
}

/** Shorthand for a text reply. */
export function text(t: string): TextReply {
  return { type: 'text', text: t }
}
