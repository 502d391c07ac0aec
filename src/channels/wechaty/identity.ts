import type { Contact, Room } from 'wechaty'

/** Who a contact is to the engine: the userId its sessions and reports are kept under. */
export interface ContactIdentity {
  userId: string
  /**
   * How the id was found. 'id': the puppet's contact id, stable (service puppets give the wxid); 'handle': the
   * WeChat number; 'alias': the remark the bot's account gave the contact; 'login': the web protocol's id, valid
   * for this login only (a new login starts a new conversation and loses sight of earlier reports).
   */
  kind: 'id' | 'handle' | 'alias' | 'login'
}

/** Web-protocol ids (wechat4u, UOS) start with "@" ("@@" for groups) and change at every login. */
export function isPerLoginId(id: string): boolean {
  return id.startsWith('@')
}

/**
 * A stable id for a contact, so a session and "我的报案" survive a re-login: the puppet's id when it is not a
 * web-protocol one, else the WeChat number, else the remark (alias) the account set, else the per-login id.
 */
export async function contactIdentity(contact: Contact): Promise<ContactIdentity> {
  if (!isPerLoginId(contact.id)) return { userId: `id:${contact.id}`, kind: 'id' }
  // weixin() is the older name of handle(); it logs a deprecation stack trace, so read the payload instead.
  const handle = contact.handle() ?? contact.payload?.weixin
  if (handle) return { userId: `wx:${handle}`, kind: 'handle' }
  const alias = await contact.alias()
  if (alias) return { userId: `alias:${alias}`, kind: 'alias' }
  return { userId: `login:${contact.id}`, kind: 'login' }
}

/**
 * The identity a person has in one group: a session of its own, so a private form never continues in a group,
 * and "我的报案" asked in a group finds nothing of the private chat's.
 */
export function groupIdentity(room: Room, person: ContactIdentity): string {
  return `group:${room.id}:${person.userId}`
}
