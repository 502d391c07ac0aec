import type { Skill } from '../../engine/skill.js'
import { ownerKey, text } from '../../engine/types.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { ReportStore } from '../../store/types.js'
import { exporterLine } from './status-text.js'

const REPORT_NO = /bs\d{8}-\d{4,}/i
const ASKS = /(报案|报损|理赔)(的)?(进度|状态|结果|情况|记录|编号)|我的(报案|报损)|查(询|一下|下)?(我的)?(报案|报损)/

/**
 * "查询报案进度 BS…" / "我的报案": status of the user's own reports only — a number alone proves nothing. The status
 * and the note of its latest change are what staff set in the console.
 */
export function createClaimStatusSkill({ knowledge, reports }: { knowledge: Knowledge; reports: ReportStore }): Skill {
  const phone = knowledge.contacts.claimsHotline.phones.join('、')
  return {
    key: 'claim-status',
    menuLabel: '查询报案进度',
    detect: (ctx) => REPORT_NO.test(ctx.text) || ASKS.test(ctx.norm),
    handle: async function claimStatus(ctx) {
      const no = REPORT_NO.exec(ctx.text)?.[0].toUpperCase()
      if (no) {
        const r = await reports.get(no)
        // Same answer whether the number does not exist or belongs to someone else.
        if (!r || r.userId !== ownerKey(ctx.message)) {
          return [text(`没有找到您提交的报案 ${no}。只能查询本人（本微信）提交的报案；如有疑问请拨打理赔服务电话 ${phone}。`)]
        }
        return [text(`${exporterLine(r)}\n所在区：${r.district}\n如需补充材料或加急，请拨打理赔服务电话 ${phone}。`)]
      }
      const mine = await reports.listByUser(ownerKey(ctx.message))
      if (!mine.length) return [text('您还没有通过这里提交过报案。需要报损请回复“报损”。')]
      return [text(`您提交的报案：\n${mine.slice(0, 5).map(exporterLine).join('\n')}\n理赔服务电话：${phone}`)]
    },
  }
}
