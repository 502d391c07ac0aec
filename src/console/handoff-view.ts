import type { WorkingFacts } from '../engine/types.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import { describeFacts } from '../llm/sources.js'
import type { Handoff, StaffAccount } from '../store/types.js'
import { canSeeDistrict } from './scope.js'

/** Channel names as staff know them. */
export const CHANNEL_LABEL: Record<string, string> = { wechat: '公众号', wechaty: '微信', api: '接口', cli: '终端', console: '坐席台' }

/** Where a handoff stands, in a word or two. */
export function handoffState(h: Handoff): { label: string; css: string } {
  if (h.status === 'closed') return { label: h.closedBy === 'user' ? '用户已结束' : `已结束（${h.closedBy}）`, css: 's-closed' }
  if (h.status === 'taken') return { label: `${h.takenBy} 接待中`, css: 's-in_review' }
  if (h.afterHours) return { label: '留言（非工作时间）', css: 's-received' }
  if (h.timedOutAt !== undefined) return { label: '超时未接（已给用户热线）', css: 's-received' }
  return { label: '等待接待', css: 's-received' }
}

/** "3 分钟", "1 小时 20 分", "2 天 3 小时". */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000))
  if (minutes < 60) return `${minutes} 分钟`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} 小时${minutes % 60 ? ` ${minutes % 60} 分` : ''}`
  return `${Math.floor(hours / 24)} 天${hours % 24 ? ` ${hours % 24} 小时` : ''}`
}

/** How long the user has waited for a person: until taken, or until now. */
export function waited(h: Handoff, now: number): string {
  return duration((h.takenAt ?? h.closedAt ?? now) - h.createdAt)
}

/** The working facts as lines: district, 2020 exports, losses per buyer, declaration month, causes, report numbers. */
export function factLines(knowledge: Knowledge, facts: Record<string, unknown>): string[] {
  const f = facts as WorkingFacts & { reports?: string[] }
  const lines = describeFacts(f).split('\n').filter(Boolean)
  const risks = (f.riskIds ?? []).map((id) => knowledge.risks.kinds.find((k) => k.id === id)?.label ?? id)
  if (risks.length) lines.push(`损失原因：${risks.join('、')}`)
  if (f.ownName !== undefined) lines.push(`以本企业名义签约报关：${f.ownName ? '是' : '否'}`)
  if (f.reports?.length) lines.push(`报案：${f.reports.join('、')}`)
  return lines
}

/** Managers see the handoffs of their districts; hotline and admins see all (a manager's unknown-district ones too: no). */
export function canSeeHandoff(staff: StaffAccount, h: Handoff): boolean {
  if (staff.role !== 'manager') return true
  const district = (h.facts as WorkingFacts).district
  return typeof district === 'string' && canSeeDistrict(staff, district)
}

/** The last few lines of the conversation, bot answers included, clipped for the queue: "用户：…", "机器人：…". */
export function recentLines(h: Handoff, n = 4): string[] {
  const who = { user: '用户', bot: '机器人', staff: '人工客服' } as const
  return h.messages.slice(-n).map((m) => {
    const line = m.text.replace(/\s+/g, ' ')
    return `${who[m.from]}：${line.length > 60 ? `${line.slice(0, 60)}…` : line}`
  })
}

/** A user id shown in lists: enough to tell people apart, not the whole openid. */
export function shortUser(h: Handoff): string {
  const id = h.userId
  return id.length > 14 ? `${id.slice(0, 4)}…${id.slice(-6)}` : id
}
