import type { Logger } from 'pino'
import type { Contact, Friendship, Message, Room, Wechaty } from 'wechaty'
import type { Engine } from '../../engine/engine.js'
import { ownerKey, type InboundMessage, type Reply } from '../../engine/types.js'
import { CLAIM_FLOW } from '../../flows/claim/claim-skill.js'
import { runTurn, type Store } from '../../store/types.js'
import { isTooLong, tooLongReply } from '../../text/limit.js'
import { splitForWeChat } from '../wechat/split.js'
import { contactIdentity, groupIdentity, type ContactIdentity } from './identity.js'
import { readMessage, type Incoming } from './inbound.js'
import { createKeyedQueue } from './keyed-queue.js'
import { createRateLimiter } from './rate-limit.js'
import { ADD_FRIEND_FIRST, FAILED, MOVED_PRIVATE, NOT_TEXT, RATE_LIMITED, STATUS_PRIVATE, VOICE_UNREADABLE } from './texts.js'

/** The status skill's key (src/flows/claim/status-skill.ts): its answer lists the asker's reports, so never in a group. */
const STATUS_SKILL = 'claim-status'

export interface WechatyChannelOptions {
  wechaty: Wechaty
  engine: Engine
  /** Rate-limit slots (kv) and the group sessions a form must leave. */
  store: Store
  logger: Logger
  /** A group message starting with this is addressed to the bot without an @. */
  groupPrefix?: string
  /** Accept friend requests and send the menu as a welcome. */
  autoAccept?: boolean
  rateLimit: number
  rateWindowSeconds: number
  maxTextLength: number
  /** Longest message in UTF-8 bytes; longer answers are split at paragraphs and sentences. */
  maxBytes?: number
  now?: () => number
  /** Told what became of each message once it is fully handled (tests, metrics). */
  onOutcome?: (outcome: Outcome) => void
}

export type OutcomeKind =
  | 'answered'
  | 'moved-private'
  | 'not-text'
  | 'too-long'
  | 'limited'
  | 'failed'
  | `ignored:${Extract<Incoming, { kind: 'ignore' }>['reason']}`

export interface Outcome {
  messageId: string
  kind: OutcomeKind
}

export interface WechatyChannel {
  /** Stop listening (the wechaty instance itself is the caller's). */
  detach(): void
  /** Resolves when every message taken so far has been answered. */
  idle(): Promise<void>
}

/**
 * The wechaty channel: each text a contact sends (in a group: with an @ or the prefix) becomes one
 * InboundMessage {channel: 'wechaty'} for the engine, and the replies are said back in order, split when long.
 * Per contact, messages are handled one at a time and rate-limited; a failure is logged and answered with an
 * apology, and the bot keeps listening.
 */
export function attachWechatyChannel(options: WechatyChannelOptions): WechatyChannel {
  const { wechaty, engine, store, logger, groupPrefix, autoAccept = false, maxTextLength, maxBytes = 2047, now = Date.now, onOutcome } = options
  const limiter = createRateLimiter({ kv: store.kv, limit: options.rateLimit, windowSeconds: options.rateWindowSeconds, now })
  const queue = createKeyedQueue()
  let loginAt = now()

  async function onMessage(message: Message): Promise<void> {
    let kind: OutcomeKind
    try {
      kind = await take(message)
    } catch (err) {
      // Reading the message failed (the puppet lost it): nothing to answer, but the bot keeps listening.
      logger.error({ err: (err as Error).message, msg: message.id }, 'wechaty message not handled')
      kind = 'failed'
    }
    if (kind !== 'ignored:self') logger.debug({ msg: message.id, outcome: kind }, 'wechaty message')
    onOutcome?.({ messageId: message.id, kind })
  }

  async function take(message: Message): Promise<OutcomeKind> {
    const incoming = await readMessage(message, { loginAt, groupPrefix })
    if (incoming.kind === 'ignore') return `ignored:${incoming.reason}`
    const talker = message.talker()
    const person = await contactIdentity(talker)
    const room = incoming.kind === 'text' ? incoming.room : undefined
    return queue.run(person.userId, async function answerInTurn() {
      const reply = (replies: Reply[]) => (room ? sayInRoom(room, talker, replies) : sayTo(talker, replies))
      try {
        const rate = await limiter.take(person.userId).catch((err: Error) => {
          // The store is down: better to answer than to go silent.
          logger.warn({ err: err.message }, 'rate limit unavailable; answering anyway')
          return 'ok' as const
        })
        if (rate !== 'ok') {
          if (rate === 'limited-notice') await reply([{ type: 'text', text: RATE_LIMITED }])
          return 'limited'
        }
        if (incoming.kind === 'not-text') {
          await reply([{ type: 'text', text: incoming.voice ? VOICE_UNREADABLE : NOT_TEXT }])
          return 'not-text'
        }
        if (isTooLong(incoming.text, maxTextLength)) {
          await reply([{ type: 'text', text: tooLongReply(maxTextLength) }])
          return 'too-long'
        }
        const t = now()
        if (!room) {
          await sayTo(talker, await ask(person.userId, incoming.text, message.id, t))
          return 'answered'
        }
        return await answerInGroup(room, talker, person, incoming.text, message.id, t)
      } catch (err) {
        logger.error({ err: (err as Error).message, msg: message.id, user: person.userId }, 'wechaty turn failed')
        await reply([{ type: 'text', text: FAILED }]).catch((e: Error) => logger.warn({ err: e.message }, 'could not say sorry'))
        return 'failed'
      }
    })
  }

  function ask(userId: string, text: string, msgId: string, t: number): Promise<Reply[]> {
    const inbound: InboundMessage = text
      ? { channel: 'wechaty', userId, text, msgId, receivedAt: t }
      : // "@bot" alone: the menu.
        { channel: 'wechaty', userId, text: '', intent: 'menu', msgId, receivedAt: t }
    return engine.handle(inbound)
  }

  /**
   * A group turn runs under the person's group identity. If it started the loss-report form (or asked for the
   * person's reports), the group hears only a pointer: the form is taken off the group session and the same text
   * goes to the engine under the private identity, whose replies are said in the private chat.
   */
  async function answerInGroup(room: Room, talker: Contact, person: ContactIdentity, text: string, msgId: string, t: number): Promise<OutcomeKind> {
    const groupUser = groupIdentity(room, person)
    const replies = await ask(groupUser, text, msgId, t)
    const privateOnly = await leavePrivateMatters(groupUser, t).catch((err: Error) => {
      // The store is down: the engine answered without memory (it runs no form then), so the answer can stand.
      logger.warn({ err: err.message }, 'group session unreadable')
      return undefined
    })
    if (!privateOnly) {
      await sayInRoom(room, talker, replies)
      return 'answered'
    }
    // WeChat lets the account write only to its friends; friend() is null when the puppet cannot tell.
    if (talker.friend() === false) {
      await room.say(ADD_FRIEND_FIRST, talker)
      return 'moved-private'
    }
    const privately = await ask(person.userId, text, msgId, t)
    try {
      await sayTo(talker, privately)
    } catch (err) {
      logger.warn({ err: (err as Error).message, user: person.userId }, 'could not write to the contact privately')
      await room.say(ADD_FRIEND_FIRST, talker)
      return 'moved-private'
    }
    await room.say(privateOnly === 'form' ? MOVED_PRIVATE : STATUS_PRIVATE, talker)
    return 'moved-private'
  }

  /** What of the group turn belongs in the private chat; a form it started is removed from the group session. */
  async function leavePrivateMatters(groupUser: string, t: number): Promise<'form' | 'status' | undefined> {
    const owner = ownerKey({ channel: 'wechaty', userId: groupUser })
    const session = await store.sessions.get(owner)
    if (session?.flow?.name === CLAIM_FLOW) {
      await runTurn(store, owner, async (current) => {
        const s = current ?? session
        if (s.flow?.name === CLAIM_FLOW) delete s.flow
        return { session: s, result: undefined }
      })
      return 'form'
    }
    if (session?.profile.topic === STATUS_SKILL && session.profile.topicAt === t) return 'status'
    return undefined
  }

  async function sayTo(contact: Contact, replies: Reply[]): Promise<void> {
    for (const chunk of chunks(replies)) await contact.say(chunk)
  }

  /** In a group the first message @-mentions the asker; the rest of a long answer follows without. */
  async function sayInRoom(room: Room, asker: Contact, replies: Reply[]): Promise<void> {
    let first = true
    for (const chunk of chunks(replies)) {
      if (first) await room.say(chunk, asker)
      else await room.say(chunk)
      first = false
    }
  }

  function chunks(replies: Reply[]): string[] {
    return replies.flatMap((r) => splitForWeChat(r.text, maxBytes))
  }

  async function onFriendship(friendship: Friendship): Promise<void> {
    if (!autoAccept || friendship.type() !== wechaty.Friendship.Type.Receive) return
    try {
      await friendship.accept()
      const contact = friendship.contact()
      const person = await contactIdentity(contact)
      logger.info({ user: person.userId }, 'friend request accepted')
      await sayTo(contact, await engine.handle({ channel: 'wechaty', userId: person.userId, text: '', intent: 'menu', receivedAt: now() }))
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'friend request not accepted')
    }
  }

  const listeners = {
    message: (m: Message) => void onMessage(m),
    friendship: (f: Friendship) => void onFriendship(f),
    login: (user: Contact) => {
      loginAt = now()
      logger.info({ account: user.name() }, 'wechaty logged in')
    },
    logout: (user: Contact, reason?: string) => logger.warn({ account: user.name(), reason }, 'wechaty logged out'),
    // Without a listener an 'error' event would throw and stop the process.
    error: (err: Error) => logger.error({ err: err.message }, 'wechaty error'),
  }
  wechaty.on('message', listeners.message)
  wechaty.on('friendship', listeners.friendship)
  wechaty.on('login', listeners.login)
  wechaty.on('logout', listeners.logout)
  wechaty.on('error', listeners.error)

  return {
    detach() {
      wechaty.off('message', listeners.message)
      wechaty.off('friendship', listeners.friendship)
      wechaty.off('login', listeners.login)
      wechaty.off('logout', listeners.logout)
      wechaty.off('error', listeners.error)
    },
    idle: () => queue.idle(),
  }
}
