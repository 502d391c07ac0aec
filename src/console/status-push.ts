import type { Logger } from 'pino'
import type { WeChatApi } from '../channels/wechat/api.js'
import { sendOrKeep } from '../channels/wechat/delivery.js'
import { statusPushText } from '../flows/claim/status-text.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { KvStore, LossReport } from '../store/types.js'

/** How the exporter learns of the change: pushed now, kept for their next WeChat message, or only on "查询报案". */
export type PushOutcome = 'sent' | 'kept' | 'none'

export const PUSH_NOTICE: Record<PushOutcome, string> = {
  sent: '已通过公众号客服消息通知企业。',
  kept: '企业下次给公众号发消息时会先看到这条进展（超出 48 小时客服消息窗口，或公众号没有配置 AppSecret）。',
  none: '企业在“查询报案”里可以看到新状态和说明。',
}

/**
 * Tell the exporter a report's new status. A WeChat OA user gets a customer-service message (AppSecret set,
 * within 48 h), or sees it at their next message; other channels see it when they ask ("查询报案").
 */
export function createStatusPush({ kv, api, logger, knowledge }: { kv: KvStore; api?: WeChatApi; logger: Logger; knowledge: Knowledge }) {
  const phones = knowledge.contacts.claimsHotline.phones.join('、')
  return async function pushStatus(report: LossReport): Promise<PushOutcome> {
    const prefix = 'wechat:'
    if (report.channel !== 'wechat' || !report.userId.startsWith(prefix)) return 'none'
    return sendOrKeep({ kv, api, logger }, report.userId.slice(prefix.length), statusPushText(report, phones))
  }
}
