import { randomUUID } from 'node:crypto'
import { types, WechatyBuilder, type Wechaty } from 'wechaty'
import { mock, PuppetMock } from 'wechaty-puppet-mock'
import { attachWechatyChannel, type Outcome, type WechatyChannel, type WechatyChannelOptions } from '../../src/channels/wechaty/channel.js'
import type { Engine } from '../../src/engine/engine.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/types.js'
import { silentLogger, testBot } from './bot.js'

type ContactMock = ReturnType<mock.Mocker['createContact']>
type RoomMock = ReturnType<mock.Mocker['createRoom']>
type Payload = { id: string; talkerId?: string; listenerId?: string; roomId?: string; text?: string; type: number }

export const BOT_NAME = '统保助手'

export interface HarnessOptions extends Partial<Pick<WechatyChannelOptions, 'groupPrefix' | 'autoAccept' | 'rateLimit' | 'rateWindowSeconds' | 'maxBytes' | 'now'>> {
  store?: Store
  /** Wraps the real engine (to make it fail, or answer something long). */
  engine?: (real: Engine) => Engine
  /** The bot account's contact id (two harnesses sharing a Redis store play two instances of one account). */
  botId?: string
}

/**
 * The real bot behind a wechaty instance on wechaty-puppet-mock, logged in as BOT_NAME. `send` has a mock
 * contact say something and returns what became of it and what the bot said back, once the bot is done.
 */
export async function wechatyHarness(opts: HarnessOptions = {}) {
  const store = opts.store ?? createMemoryStore({ sessionTtlSeconds: 3600 })
  const bot = testBot({ store })
  const engine = opts.engine ? opts.engine(bot.engine) : bot.engine
  const mocker = new mock.Mocker()
  const puppet = new PuppetMock({ mocker })
  const wechaty: Wechaty = WechatyBuilder.build({ puppet })

  const messages: Payload[] = []
  puppet.on('message', ({ messageId }) => {
    messages.push(mocker.messagePayload(messageId) as Payload)
  })
  const outcomes = new Map<string, Outcome>()
  const waiting = new Map<string, (o: Outcome) => void>()
  const channel: WechatyChannel = attachWechatyChannel({
    wechaty,
    engine,
    store,
    logger: silentLogger,
    rateLimit: opts.rateLimit ?? 1000,
    rateWindowSeconds: opts.rateWindowSeconds ?? 60,
    maxTextLength: 1000,
    groupPrefix: opts.groupPrefix,
    autoAccept: opts.autoAccept,
    maxBytes: opts.maxBytes,
    now: opts.now,
    onOutcome(o) {
      outcomes.set(o.messageId, o)
      waiting.get(o.messageId)?.(o)
    },
  })

  await wechaty.start()
  const me = mocker.createContact({ id: opts.botId ?? `bot-${randomUUID()}`, name: BOT_NAME })
  // The mock takes any id with an "@" for a room; web-protocol contact ids ("@0a1f…") must reach the contact.
  puppet.messageSendText = async (conversationId: string, text: string) => {
    const to = conversationId.endsWith('@chatroom') ? mocker.RoomMock.load(conversationId) : mocker.ContactMock.load(conversationId)
    me.say(text).to(to)
  }
  const loggedIn = new Promise<void>((resolve) => wechaty.once('login', () => resolve()))
  mocker.login(me)
  await loggedIn

  function outcomeOf(id: string): Promise<Outcome> {
    const known = outcomes.get(id)
    if (known) return Promise.resolve(known)
    return new Promise((resolve) => waiting.set(id, resolve))
  }

  /** What the bot said since message number `from`: to one contact privately, or in one room. */
  function saidSince(from: number, where: { contact?: ContactMock; room?: RoomMock }): string[] {
    return messages
      .slice(from)
      .filter((m) => m.talkerId === me.id && (where.room ? m.roomId === where.room.id : !m.roomId && m.listenerId === where.contact!.id))
      .map((m) => m.text ?? '')
  }

  /** Deliver a message the mock Mocker cannot make (another type, an old timestamp) and wait for the bot. */
  async function deliver(payload: Omit<Payload, 'id'> & { timestamp?: number }) {
    const from = messages.length
    const id = randomUUID()
    mocker.MessageMock.create({ timestamp: Date.now(), ...payload, id } as never)
    puppet.emit('message', { messageId: id })
    const outcome = await outcomeOf(id)
    const talker = mocker.ContactMock.load(payload.talkerId!)
    return { outcome: outcome.kind, replies: saidSince(from, { contact: talker }) }
  }

  return {
    wechaty,
    mocker,
    puppet,
    me,
    store,
    bot,
    channel,
    contact: (payload: Parameters<mock.Mocker['createContact']>[0] = {}) => mocker.createContact(payload),
    room: (...members: ContactMock[]) => mocker.createRoom({ memberIdList: [me.id, ...members.map((c) => c.id)], topic: '出口企业交流群' }),
    /** A contact says text to the bot privately. */
    async say(contact: ContactMock, text: string) {
      const from = messages.length
      contact.say(text).to(me)
      const outcome = await outcomeOf(messages[from]!.id)
      return { outcome: outcome.kind, replies: saidSince(from, { contact }), text: saidSince(from, { contact }).join('\n') }
    },
    /** A contact says text in a group, @-mentioning the bot when asked; replies in the room and in private. */
    async sayInRoom(contact: ContactMock, room: RoomMock, text: string, { mention = false } = {}) {
      const from = messages.length
      contact.say(mention ? `@${BOT_NAME}\u2005${text}` : text, mention ? [me] : []).to(room)
      const outcome = await outcomeOf(messages[from]!.id)
      return { outcome: outcome.kind, inRoom: saidSince(from, { room }), privately: saidSince(from, { contact }) }
    },
    deliver,
    /** Everything the bot has said to a contact privately so far. */
    saidTo: (contact: ContactMock) => saidSince(0, { contact }),
    types,
    async close() {
      await wechaty.stop()
      await channel.idle()
      channel.detach()
    },
  }
}

export type WechatyHarness = Awaited<ReturnType<typeof wechatyHarness>>
