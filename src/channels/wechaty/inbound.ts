import type { Message, Room } from 'wechaty'

/** What one wechaty message asks of the bot. */
export type Incoming =
  | { kind: 'ignore'; reason: 'self' | 'old' | 'official' | 'not-addressed' | 'system' }
  | { kind: 'not-text'; voice: boolean }
  | { kind: 'text'; text: string; room?: Room }

export interface ReadOptions {
  /** Epoch ms of the current login; anything older is history the puppet replays, not a question. */
  loginAt: number
  /** A group message starting with this is addressed to the bot even without an @. */
  groupPrefix?: string
}

/**
 * Reads a message the way the bot should treat it: ignored (its own, from before the login, from an official
 * account, a group message not addressed to it, a system notice), not text (answered "text only"), or text to
 * answer, with the @ and the prefix taken off.
 */
export async function readMessage(message: Message, { loginAt, groupPrefix }: ReadOptions): Promise<Incoming> {
  const { Message: M, Contact: C } = message.wechaty
  if (message.self()) return { kind: 'ignore', reason: 'self' }
  // Puppets that count in seconds round down: a message from the login's own second is not old.
  if (message.date().getTime() < Math.floor(loginAt / 1000) * 1000) return { kind: 'ignore', reason: 'old' }
  if (message.talker().type() === C.Type.Official) return { kind: 'ignore', reason: 'official' }
  const room = message.room()
  const type = message.type()
  if (type !== M.Type.Text) {
    // A picture in a group is not addressed to the bot; notices (recalls, "you added …") need no answer.
    if (room) return { kind: 'ignore', reason: 'not-addressed' }
    if (silentTypes(M.Type).has(type)) return { kind: 'ignore', reason: 'system' }
    return { kind: 'not-text', voice: type === M.Type.Audio }
  }
  if (!room) return { kind: 'text', text: message.text().trim() }
  const mentioned = await message.mentionSelf()
  const said = (mentioned ? await message.mentionText() : message.text()).trim()
  const unprefixed = groupPrefix && said.startsWith(groupPrefix) ? said.slice(groupPrefix.length).replace(/^[\s:：,，]+/, '') : undefined
  if (!mentioned && unprefixed === undefined) return { kind: 'ignore', reason: 'not-addressed' }
  return { kind: 'text', text: (unprefixed ?? said).trim(), room }
}

/** Message kinds that need no answer: notices, recalls, money (a transfer is not a question). */
function silentTypes(T: Message['wechaty']['Message']['Type']): Set<number> {
  return new Set([T.Unknown, T.Recalled, T.GroupNote, T.Post, T.Transfer, T.RedEnvelope])
}
