import type { Skill, TurnContext } from '../engine/skill.js'
import { ownerKey, text, type Reply } from '../engine/types.js'
import type { HandoffDesk } from '../handoff/desk.js'
import { describeHours, describeMoment, isOpen, nextOpening, type OfficeHours } from '../handoff/hours.js'
import { exchange, factsOf, newId, recentMessages, waitingLive, withMessages } from '../handoff/record.js'
import type { HandoffTexts } from '../handoff/texts.js'
import { HANDOFF_FLOW, type TurnCache } from '../handoff/turn-hook.js'
import type { Handoff, ReportStore } from '../store/types.js'
import { CLAIM_FLOW } from './claim/claim-skill.js'

// "转人工", "人工客服", "找真人", "talk to a person"… but "人工客服电话多少" asks for a phone number (contacts).
const ASKS_PHONE = /电话|号码|热线|phone|number|hotline/
const END = /^(结束人工|退出人工|不用人工了?|不要人工了?|结束人工客服)[!！。.~]*$/
// Inside the handoff, plain "取消" ends it too (the words); a loss report in progress keeps its own "取消".
const CANCEL = /^(取消|结束|退出|算了|不用了|结束人工|退出人工|不用人工了?|cancel|quit|back to (the )?bot)[!！。.~]*$/
const WEEK_MS = 7 * 24 * 3600_000

export interface HandoffSkillDeps {
  /** Absent when the store has no handoffs (the Durable Object store for now): the hotlines instead. */
  desk?: HandoffDesk
  texts: HandoffTexts
  hours: OfficeHours
  pickupMinutes: number
  reports: ReportStore
  cache: TurnCache
}

/**
 * 转人工: the user joins the staff queue (or, outside office hours, leaves a message), and while a person is
 * awaited the bot acknowledges once and then stays quiet; "结束人工" or "取消" returns to the bot. The state lives
 * in the store (the handoff) and in the session (its id, the flow), so any instance continues it after a restart.
 */
export function createHandoffSkill({ desk, texts, hours, pickupMinutes, reports, cache }: HandoffSkillDeps): Skill {
  const pickupMs = pickupMinutes * 60_000

  /** People waiting ahead, and the minutes a pickup took lately (median, at most the pickup time). */
  async function queueInfo(h: Handoff, t: number): Promise<{ ahead: number; etaMinutes: number }> {
    const open = await desk!.store.listOpen()
    const ahead = open.filter((o) => o.id !== h.id && o.status === 'waiting' && !o.afterHours && o.timedOutAt === undefined && o.createdAt <= h.createdAt).length
    const waits = [...open, ...(await desk!.store.listClosed(30))]
      .filter((o) => o.takenAt !== undefined && !o.afterHours && t - o.takenAt < WEEK_MS)
      .map((o) => (o.takenAt! - o.createdAt) / 60_000)
      .sort((a, b) => a - b)
    const median = waits.length ? waits[Math.floor(waits.length / 2)]! : pickupMinutes
    return { ahead, etaMinutes: Math.min(pickupMinutes, Math.max(1, Math.ceil(median))) }
  }

  async function open(ctx: TurnContext): Promise<Reply[]> {
    const { lang, session } = ctx
    if (!desk || ctx.message.channel === 'console') return [text(texts.unavailable(lang))]
    // A group member's identity is per group (src/channels/wechaty/identity.ts): staff answer in private chats only.
    if (ctx.message.channel === 'wechaty' && ctx.message.userId.startsWith('group:')) return [text(texts.groupOnly)]
    const t = ctx.now
    const inHours = isOpen(hours, t)
    // The record's times (when opened, the pickup deadline) by the one clock every instance and sweeper compares
    // them with: the store's where instances share it (Redis TIME). Office hours and the message times stay local.
    const at = await desk.time(t)
    const hf = (session.profile.handoff ??= {})
    const owner = ownerKey(ctx.message)
    const reportIds = (await reports.listByUser(owner).catch(() => [])).map((r) => r.id)
    // "转人工，保费怎么算" carries its question: outside office hours that is the message left.
    const carriesQuestion = ctx.reading.withoutPerson.replace(/[\s\p{P}]/gu, '').length >= 4
    const fresh: Handoff = {
      id: newId(),
      owner,
      channel: ctx.message.channel,
      userId: ctx.message.userId,
      status: 'waiting',
      version: 1,
      createdAt: at,
      updatedAt: at,
      reason: hf.offered ? 'offered' : 'asked',
      ...(inHours ? { pickupBy: at + pickupMs } : { afterHours: true }),
      messages: withMessages({ messages: recentMessages(hf) } as Handoff, ...exchange(t, ctx.text, '')).messages,
      facts: factsOf(session.profile, reportIds),
    }
    let { handoff: h, created } = await desk.store.open(fresh)
    if (!created) {
      // Asked again (after a timeout, or a message left overnight): back to a live wait when staff are in.
      const again = await desk.change(h.id, (cur, restart) => {
        const next: Handoff = { ...withMessages(cur, ...exchange(t, ctx.text, '')), facts: factsOf(session.profile, reportIds) }
        if (cur.status === 'waiting' && inHours) {
          next.pickupBy = restart + pickupMs
          delete next.timedOutAt
          delete next.timeoutTold
          delete next.afterHours
        }
        return { next, result: undefined }
      })
      if (again) h = again.handoff
    }
    hf.id = h.id
    delete hf.recent
    cache.set(session, { handoff: h, opened: true })
    // A loss report being filled keeps its place (the engine puts it back after a detour); the handoff then runs
    // beside it, without the quiet. Any other small flow (a question back to the user) gives way.
    const beside = session.flow?.name === CLAIM_FLOW
    const quiet = (step: string, acked: boolean) => {
      if (!beside) session.flow = { name: HANDOFF_FLOW, v: 1, step, data: { id: h.id, acked }, startedAt: t }
    }
    if (!inHours) {
      const next = describeMoment(nextOpening(hours, t) ?? t, t)
      if (!carriesQuestion) quiet('message', false)
      return [text(texts.afterHours(lang, { hours: describeHours(hours), next, asked: carriesQuestion }))]
    }
    if (h.status === 'taken') {
      quiet('waiting', true)
      return [text(texts.alreadyTaken(lang))]
    }
    quiet('waiting', false)
    if (!created && h.createdAt < at) return [text(texts.alreadyWaiting(lang, Math.max(1, Math.round((at - h.createdAt) / 60_000))))]
    const q = await queueInfo(h, at)
    return [text(texts.opened(lang, { ...q, hours: describeHours(hours), pickupMinutes }))]
  }

  /** The user ends it ("结束人工", "取消"): closed now; whatever staff sent meanwhile still comes in this turn. */
  async function endByUser(ctx: TurnContext, id: string | undefined): Promise<Reply[]> {
    if (ctx.session.flow?.name === HANDOFF_FLOW) delete ctx.session.flow
    if (!id || !desk) return [text(texts.notInHandoff(ctx.lang))]
    const done = await desk.change(id, (cur, at) =>
      cur.status === 'closed' ? { result: false } : { next: { ...cur, status: 'closed', closedAt: at, closedBy: 'user', closeTold: true }, result: true },
    )
    return [text(done?.result ? texts.endedByUser(ctx.lang) : texts.notInHandoff(ctx.lang))]
  }

  return {
    key: 'handoff',
    flowVersion: 1,
    // "转人工" is the whole request: never split into questions for other skills, and heard inside a form too.
    exclusive: true,
    interrupts: true,
    detect: (ctx) =>
      (ctx.reading.act === 'person' && !ASKS_PHONE.test(ctx.norm)) || END.test(ctx.norm) || (!!ctx.session.profile.handoff?.offered && ctx.reading.accepts),
    handle: function askForPerson(ctx) {
      if (END.test(ctx.norm)) return endByUser(ctx, ctx.session.profile.handoff?.id)
      return open(ctx)
    },
    /*
     * The wait is a flow that holds on, like a form: greetings and thanks ("好的", "在吗") stay with it (quiet),
     * and a menu button answered meanwhile is followed by this line. It ends only by resume() dropping it.
     */
    reminder: (ctx) => texts.stillWaiting(ctx.lang),
    /*
     * The store is down (or refuses writes, as under a failover's CLIENT PAUSE WRITE) while the user talks to a
     * person: their message cannot reach the handoff. Not a bot answer (they are in a conversation with a person,
     * a question included: storeDownOnly), but plainly that it was not passed on, to send it again, and the hotlines.
     *
     * Told, not held for later: what this instance knows without the store is only that the user was with a
     * person at their last turn here (the session read before the failure, or the engine's bounded mark). It
     * cannot know whether the handoff is still open (staff may have closed it, the user's later messages may have
     * gone to another instance), and a message held in this process would be lost with it (a restart is often how
     * an outage ends), could land after messages sent later through other instances, and could be written twice (a
     * write that timed out under a pause may still land). Being told is the one promise kept in every case. An
     * instance that never saw the user cannot tell them apart from anyone else while the store is down: it answers
     * as for any user (session affinity at the load balancer keeps a user on the instance that knows them).
     */
    storeDown: (ctx, inside) => (inside || END.test(ctx.norm) ? texts.notPassedOn(ctx.lang) : undefined),
    storeDownOnly: true,
    resume: async function whileWaiting(ctx) {
      const flow = ctx.session.flow!
      const h = desk ? await desk.get(String(flow.data.id)) : undefined
      if (h) cache.set(ctx.session, { handoff: h })
      if (!h || h.status === 'closed') {
        delete ctx.session.flow
        return undefined
      }
      if (CANCEL.test(ctx.norm)) return endByUser(ctx, h.id)
      if (flow.step === 'message') {
        // Outside office hours: this message is the one left for staff (the turn hook records it).
        delete ctx.session.flow
        cache.set(ctx.session, { handoff: h, forStaff: true })
        return [text(texts.messageLeft(ctx.lang, describeMoment(nextOpening(hours, ctx.now) ?? ctx.now, ctx.now)))]
      }
      // Nobody came in time: the bot answers again (the turn hook puts the notice and hotlines first). Judged by
      // the one clock, as the sweeper and the turn hook judge it.
      const at = await desk!.time(ctx.now)
      if (!waitingLive(h, at, desk!.pickupMs)) {
        delete ctx.session.flow
        return undefined
      }
      if (ctx.reading.act === 'person') return [text(h.status === 'taken' ? texts.alreadyTaken(ctx.lang) : texts.alreadyWaiting(ctx.lang, Math.max(1, Math.round((at - h.createdAt) / 60_000))))]
      // One short acknowledgement, then quiet: the messages go to the queue (the turn hook records them).
      if (!flow.data.acked) {
        flow.data.acked = true
        return [text(texts.ack(ctx.lang))]
      }
      return []
    },
  }
}
