import type { Knowledge } from '../knowledge/knowledge.js'
import { REPORT_NOTICE, type LossReport, type OutboxItem, type ReportStore } from '../store/types.js'
import { maskPhone } from '../text/mask.js'

/** A WeCom group-robot text message (also fine for any JSON webhook) announcing a new loss report. */
export interface WebhookTextMessage {
  msgtype: 'text'
  text: { content: string; mentioned_mobile_list?: string[] }
}

function maskName(name: string): string {
  return name.length <= 1 ? '*' : `${name[0]}${'*'.repeat(Math.min(2, name.length - 1))}`
}

/** The notice for the district manager: report number, firm, district, amount; the phone masked. */
export function reportNotice(k: Knowledge, r: LossReport): WebhookTextMessage {
  const f = r.fields as Record<string, unknown>
  const amount = f.amount as { value: number; currency: string } | undefined
  const lines = [
    `【统保报损】${r.id}`,
    `企业：${String(f.company ?? '')}`,
    `所在区：${r.district}`,
    `买方：${String(f.buyerName ?? '')}（${String(f.buyerCountry ?? '')}）`,
    `未付金额：${amount ? `${amount.value.toLocaleString('en-US')} ${amount.currency}` : '未填'}`,
    `联系人：${maskName(String(f.contactName ?? ''))} ${maskPhone(String(f.phone ?? ''))}（完整信息见客服后台）`,
  ]
  if (r.flags.length) lines.push(`需核实：${r.flags.join('；')}`)
  lines.push('请尽快联系企业。')
  const mobiles = k.managers.groups
    .filter((g) => g.districts.includes(r.district))
    .flatMap((g) => g.managers.flatMap((m) => m.phones.filter((p) => /^1\d{10}$/.test(p))))
  return { msgtype: 'text', text: { content: lines.join('\n'), ...(mobiles.length ? { mentioned_mobile_list: mobiles } : {}) } }
}

/**
 * The webhook body of an outbox item. A report's notice is queued as just its number (the store queues it in the
 * same step as the report) and written out here from the stored report; other items carry their body.
 */
export function createNoticeBody(k: Knowledge, reports: ReportStore) {
  return async function noticeBody(item: OutboxItem): Promise<unknown> {
    const reportId = item.kind === REPORT_NOTICE ? (item.payload as { reportId?: unknown }).reportId : undefined
    if (typeof reportId !== 'string') return item.payload
    const r = await reports.get(reportId)
    if (!r) throw new Error(`report ${reportId} not found`)
    return reportNotice(k, r)
  }
}
