/** What the wechaty channel itself says (the engine says everything else). */
// The "text only" lines are the official account's, so a user hears the same on both.
export { NOT_TEXT, VOICE_UNREADABLE } from '../wechat/inbound.js'

/** Said in the group when a loss report (or its status) moves to the private chat. */
export const MOVED_PRIVATE = '报损要填写企业和联系人信息，不在群里办理。我已私聊您，请在私聊中继续。'
export const STATUS_PRIVATE = '报案进度只在私聊中告诉本人，我已私聊回复您。'
/** The asker is not a friend of the bot's account (WeChat only lets it write to friends). */
export const ADD_FRIEND_FIRST = '报损和报案进度只在私聊中办理。请先添加我为好友，再私聊发送“报损”或“我的报案”。'

export const RATE_LIMITED = '您发送得太快了，请稍等一会儿再发。'
export const FAILED = '抱歉，系统出了点问题，请稍后再试。'
