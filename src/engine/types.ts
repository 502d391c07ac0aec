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

/** What the bot remembers about a user between messages. */
export interface Session {
  v: typeof SESSION_VERSION
  userId: string
  createdAt: number
  updatedAt: number
  /** Facts learned in the conversation, reused by later flows (district for a loss report, etc.). */
  profile: {
    district?: string
    exports2020Usd?: number
  }
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
