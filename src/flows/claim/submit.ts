import type { Logger } from 'pino'
import type { TurnContext } from '../../engine/skill.js'
import { ownerKey, text, type Reply } from '../../engine/types.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import { chinaDay } from '../../policy/dates.js'
import type { LossReport, ReportStore } from '../../store/types.js'
import { managersOf } from '../shared.js'
import type { ClaimSlots, FieldDeps } from './fields.js'
import { claimFlags, indemnityLine, summaryLines } from './summary.js'

export interface SubmitDeps {
  knowledge: Knowledge
  reports: ReportStore
  /**
   * Set when managers are notified: the store queues each report's notice together with the report, and this
   * asks for it to be delivered now rather than at the next retry tick.
   */
  deliverNotices?: () => void
  logger: Logger
}

/** A new submission key: drawn once, when the draft reaches the confirm step, and kept with the draft. */
export function newSubmissionKey(): string {
  return crypto.randomUUID()
}

/**
 * Filing a confirmed draft exactly once. The draft's submission key goes with it to the store, which files the
 * report only if nothing was filed under that key before; a confirm repeated after a crash, by a retry, or on
 * another instance gets the first report's number back and queues no second notice.
 */
export function createSubmitter({ knowledge, reports, deliverNotices, logger }: SubmitDeps) {
  const claimsPhone = knowledge.contacts.claimsHotline.phones.join('、')

  function filedText(r: LossReport, first: boolean): string {
    const manager = `${r.district}的客户经理（${managersOf(knowledge, r.district)}）`
    const next = deliverNotices ? `我们已通知${manager}，会尽快与您联系。` : `请同时联系${manager}，告知报案编号。`
    const head = first ? `报损已受理，报案编号：${r.id}` : `您的报案已提交，编号：${r.id}（${chinaDay(r.createdAt)}提交，不会重复提交）。`
    return `${head}\n${next}\n理赔服务电话：${claimsPhone}\n查询进度请回复“我的报案”或“查询报案 ${r.id}”。`
  }

  return {
    /** File the draft under its key; the reply the user gets, whether this call filed it or an earlier one did. */
    async submit(ctx: TurnContext, slots: ClaimSlots, submission: string, deps: FieldDeps): Promise<Reply[]> {
      const { report, created } = await reports.create({
        submission,
        day: chinaDate(ctx.now),
        notify: !!deliverNotices,
        report: {
          userId: ownerKey(ctx.message),
          channel: ctx.message.channel,
          district: slots.district!,
          status: 'received',
          createdAt: ctx.now,
          updatedAt: ctx.now,
          fields: { ...slots, summary: summaryLines(deps, slots), indemnity: indemnityLine(knowledge, slots) },
          flags: claimFlags(knowledge, slots),
        },
      })
      delete ctx.session.flow
      ctx.session.profile.district = report.district
      if (created) {
        logger.info({ report: report.id, district: report.district }, deliverNotices ? 'report filed; notice queued' : 'report filed; no notification configured')
        deliverNotices?.()
      }
      return [text(filedText(report, created))]
    },

    /**
     * The draft was filed already (its confirm reached the store, its session did not — a crash, a lost reply):
     * the reply saying so, once; undefined while nothing is filed under the key.
     */
    async alreadyFiled(ctx: TurnContext, submission: string): Promise<Reply[] | undefined> {
      const filed = await reports.bySubmission(submission)
      if (!filed) return undefined
      delete ctx.session.flow
      ctx.session.profile.district = filed.district
      return [text(filedText(filed, false))]
    },

    /** The user's latest report if it was filed in the last `withinMs`: the reply to a repeated confirm. */
    async lastFiled(ctx: TurnContext, withinMs: number): Promise<Reply[] | undefined> {
      const [latest] = await reports.listByUser(ownerKey(ctx.message))
      return latest && ctx.now - latest.createdAt < withinMs ? [text(filedText(latest, false))] : undefined
    },

    /** What a user inside the form is told while the store is down: nothing can be saved, and what to do. */
    storeDownText: `系统暂时无法保存对话，您刚才填写的报损内容这次没有记下。请过几分钟再发一次，我们接着填（已经提交的报案不会重复提交）；着急的话可以直接拨打理赔服务电话 ${claimsPhone} 报案。`,
  }
}

/** YYYYMMDD in China time, for report numbers. */
export function chinaDate(epochMs: number): string {
  return chinaDay(epochMs).replace(/-/g, '')
}
