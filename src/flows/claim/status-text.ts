import { chinaDay } from '../../policy/dates.js'
import type { LossReport, ReportOutcome, ReportStatus } from '../../store/types.js'

/** The lifecycle's names, as staff see them in the console. */
export const STATUS_LABEL: Record<ReportStatus, string> = { received: '已受理', in_review: '处理中', closed: '已办结' }
export const OUTCOME_LABEL: Record<ReportOutcome, string> = { paid: '赔付', declined: '不予赔付', withdrawn: '撤案' }

const FOR_EXPORTER: Record<ReportStatus, string> = {
  received: '已受理，等待客户经理联系',
  in_review: '客户经理处理中',
  closed: '已办结',
}

/** The status as the exporter is told it: "客户经理处理中", "已办结（赔付）". */
export function exporterStatus(r: Pick<LossReport, 'status' | 'outcome'>): string {
  const outcome = r.status === 'closed' && r.outcome ? `（${OUTCOME_LABEL[r.outcome]}）` : ''
  return `${FOR_EXPORTER[r.status]}${outcome}`
}

/** The status as staff see it: "处理中", "已办结（不予赔付）". */
export function staffStatus(r: Pick<LossReport, 'status' | 'outcome'>): string {
  const outcome = r.status === 'closed' && r.outcome ? `（${OUTCOME_LABEL[r.outcome]}）` : ''
  return `${STATUS_LABEL[r.status]}${outcome}`
}

/**
 * The note of the latest status change, if it has one. An older note ("请补充报关单") is not repeated once a later
 * change has moved on without one.
 */
export function latestNote(r: Pick<LossReport, 'timeline'>): string | undefined {
  return r.timeline?.at(-1)?.note || undefined
}

/** "BS20261126-0001（2026-11-26提交）：客户经理处理中", then the note on its own line. */
export function exporterLine(r: LossReport): string {
  const note = latestNote(r)
  return `${r.id}（${chinaDay(r.createdAt)}提交）：${exporterStatus(r)}${note ? `\n说明：${note}` : ''}`
}

/** What a WeChat user is sent when staff change their report's status. */
export function statusPushText(r: LossReport, claimsPhones: string): string {
  const note = latestNote(r)
  return [
    `您的报案 ${r.id} 有新进展：${exporterStatus(r)}。`,
    ...(note ? [`说明：${note}`] : []),
    `查询进度请回复“查询报案 ${r.id}”；理赔服务电话：${claimsPhones}。`,
  ].join('\n')
}
