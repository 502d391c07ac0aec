import type { Contact, Wechaty } from 'wechaty'
import { splitForWeChat } from '../wechat/split.js'

/**
 * Finds the contact behind an engine identity (contactIdentity's userId: id:…, wx:…, alias:…, login:…) and says a
 * text to it, split like any answer. Used for a person's messages (转人工): sent straight away, also by a process
 * that never saw the user (the staff console on another instance hands them over through the store). Group
 * identities are never reached: staff answer in private chats only.
 */
export function createContactSender({ wechaty, maxBytes = 2047 }: { wechaty: Wechaty; maxBytes?: number }) {
  async function find(userId: string): Promise<Contact | undefined> {
    const [kind, ...rest] = userId.split(':')
    const value = rest.join(':')
    if (!value) return undefined
    switch (kind) {
      case 'id':
      case 'login':
        return (await wechaty.Contact.find({ id: value })) ?? undefined
      case 'wx':
        return (await wechaty.Contact.find({ weixin: value })) ?? undefined
      case 'alias':
        return (await wechaty.Contact.find({ alias: value })) ?? undefined
      default:
        return undefined
    }
  }

  /** 'sent', or undefined when the contact cannot be found now (not logged in, a new login's ids): tried again later. */
  return async function sayToContact(userId: string, text: string): Promise<'sent' | undefined> {
    if (!wechaty.isLoggedIn) return undefined
    const contact = await find(userId)
    if (!contact) return undefined
    for (const chunk of splitForWeChat(text, maxBytes)) await contact.say(chunk)
    return 'sent'
  }
}
