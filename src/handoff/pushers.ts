import { sendOrKeep, type DeliveryOptions } from '../channels/wechat/delivery.js'
import type { Pusher } from './desk.js'

/**
 * WeChat OA users: a customer-service message (AppSecret set, within 48 h of their last message), else kept and
 * shown in front of the answer to their next message (src/channels/wechat/delivery.ts).
 */
export function wechatPusher(options: DeliveryOptions): Pusher {
  return (openId, text) => sendOrKeep(options, openId, text)
}
