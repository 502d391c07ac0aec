import type { InboundMessage } from '../../engine/types.js'
import { isTooLong, tooLongReply } from '../../text/limit.js'
import { MENU_INTENTS } from './menu.js'

/** What to do with one WeChat message: ask the engine, answer a fixed line, or stay silent. */
export type WeChatAction =
  | { kind: 'engine'; message: InboundMessage; prefix?: string }
  | { kind: 'say'; text: string }
  | { kind: 'forget' }
  | { kind: 'silent' }

const WELCOME = '感谢关注！我是深圳统保（出口信用保险）政策咨询助手。'
/** Said on every channel to voice it cannot read and to images, files, stickers. */
export const VOICE_UNREADABLE = '暂时听不清语音，请用文字发送您的问题。'
export const NOT_TEXT = '目前只能看懂文字消息。请用文字描述您的问题，或回复“菜单”看看我能做什么。'

/** Map a parsed WeChat message (plain fields) to an action; text over `maxTextLength` is answered, not processed. */
export function toAction(m: Record<string, string>, receivedAt: number, maxTextLength = Infinity): WeChatAction {
  const base = { channel: 'wechat' as const, userId: m.FromUserName ?? '', msgId: m.MsgId, receivedAt }
  const ask = (text: string): WeChatAction =>
    isTooLong(text, maxTextLength) ? { kind: 'say', text: tooLongReply(maxTextLength) } : { kind: 'engine', message: { ...base, text } }
  switch (m.MsgType) {
    case 'text':
      return ask(m.Content ?? '')
    case 'voice':
      return m.Recognition?.trim() ? ask(m.Recognition) : { kind: 'say', text: VOICE_UNREADABLE }
    case 'event':
      return eventAction(m, base)
    default:
      return { kind: 'say', text: NOT_TEXT }
  }
}

function eventAction(m: Record<string, string>, base: Omit<InboundMessage, 'text'>): WeChatAction {
  switch ((m.Event ?? '').toLowerCase()) {
    case 'subscribe':
      return { kind: 'engine', message: { ...base, text: '', intent: 'menu' }, prefix: WELCOME }
    case 'unsubscribe':
      return { kind: 'forget' }
    case 'click': {
      const intent = MENU_INTENTS[m.EventKey ?? '']
      return intent ? { kind: 'engine', message: { ...base, text: '', intent } } : { kind: 'engine', message: { ...base, text: '', intent: 'menu' } }
    }
    case 'scan':
      return { kind: 'engine', message: { ...base, text: '', intent: 'menu' } }
    default:
      // VIEW (a link was opened), LOCATION, TEMPLATESENDJOBFINISH…: nothing to say.
      return { kind: 'silent' }
  }
}
