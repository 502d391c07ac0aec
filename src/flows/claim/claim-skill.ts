import type { Logger } from 'pino'
import type { Skill, TurnContext } from '../../engine/skill.js'
import { text, type FlowState, type Reply } from '../../engine/types.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { PlaceResolver } from '../../policy/places.js'
import type { ReportStore } from '../../store/types.js'
import { isWaiting, parseConfirmation } from '../../policy/contact-fields.js'
import { extractFacts, rememberedFacts } from './extract.js'
import { FIELD_BY_KEY, FIELDS, type ClaimSlots, type FieldDeps, type SlotKey } from './fields.js'
import { wantsToStart } from './start-intent.js'
import { BACK, BARE_REFUSE, CANCEL, CONTINUE, CONTINUE_WORD, CORRECTION, EDIT, EDIT_AFTER, EDIT_HELP, EN_NOTE, FIELD_LEAD, FREE_TEXT, START_ONLY, START_ONLY_EN, SUBMIT_WORD } from './wording.js'
import { createSubmitter, newSubmissionKey } from './submit.js'
import type { ModelFacts } from './model-extract.js'
import { claimFlags, indemnityLine, summaryLines } from './summary.js'

export { chinaDate } from './submit.js'

export const CLAIM_FLOW = 'claim'
/** Bump when ClaimData changes shape; an old draft then restarts politely instead of breaking. */
export const CLAIM_FLOW_VERSION = 1
/** After this long away, the user is asked whether to continue the draft. */
const RESUME_PROMPT_AFTER_MS = 30 * 60 * 1000

interface ClaimData {
  slots: ClaimSlots
  history: SlotKey[]
  paused?: string
  /** Drawn when the draft first reaches the confirm step; the store files one report per key (see submit.ts). */
  submission?: string
  [k: string]: unknown
}

export interface ClaimDeps {
  knowledge: Knowledge
  places: PlaceResolver
  reports: ReportStore
  /** Set when managers are notified: the store queues the notice with the report; this delivers it now. */
  deliverNotices?: () => void
  logger: Logger
  /** Model mode: more fields from a long free-text message, each validated like a typed answer. */
  modelFacts?: ModelFacts
}

// Shorter messages ("我要报损", "12万美元") say one thing, which the rules read; the model is asked only about longer ones.
const MODEL_MIN_CHARS = 15

/** The guided loss report: one question at a time, several facts per message, corrections, cancel, resume, confirm. */
export function createClaimSkill({ knowledge, places, reports, deliverNotices, logger, modelFacts }: ClaimDeps): Skill {
  const claimsPhone = knowledge.contacts.claimsHotline.phones.join('、')
  const filing = createSubmitter({ knowledge, reports, deliverNotices, logger })
  const deps = (ctx: TurnContext): FieldDeps => ({ knowledge, places, now: ctx.now })
  const data = (flow: FlowState) => flow.data as ClaimData

  function nextKey(s: ClaimSlots): SlotKey | undefined {
    return FIELDS.find((f) => (!f.applies || f.applies(s)) && s[f.key] === undefined)?.key
  }

  function prompt(ctx: TurnContext, key: SlotKey, s: ClaimSlots): string {
    return FIELD_BY_KEY.get(key)!.prompt(deps(ctx), s)
  }

  function showSlot(ctx: TurnContext, key: SlotKey, s: ClaimSlots): string {
    return (FIELD_BY_KEY.get(key)!.show as (v: unknown, f: FieldDeps) => string)(s[key], deps(ctx))
  }

  function summary(ctx: TurnContext, s: ClaimSlots): string {
    const lines = ['请核对报损信息：', ...summaryLines(deps(ctx), s)]
    const pay = indemnityLine(knowledge, s)
    if (pay) lines.push(`预计赔付：${pay}`)
    const flags = claimFlags(knowledge, s)
    if (flags.length) lines.push(`需要提醒：${flags.join('；')}。报案照常受理，客户经理会和您核实。`)
    lines.push('无误请回复“确认”提交；要改某项，直接说“金额改成13万美元”；回复“取消”放弃。')
    return lines.join('\n')
  }

  /** Move to the first unanswered question, or to the summary when the form is complete (also after a correction). */
  function advance(ctx: TurnContext, d: ClaimData, lead: string[] = []): Reply[] {
    const key = nextKey(d.slots)
    ctx.session.flow!.step = key ?? 'confirm'
    // Saved with the session before the user can say "确认": every confirm of this draft carries the same key.
    if (!key) d.submission ??= newSubmissionKey()
    return [text([...lead, key ? prompt(ctx, key, d.slots) : summary(ctx, d.slots)].join('\n'))]
  }

  /** Newly raised flags, said kindly as soon as the fact that raises them is given. */
  function newFlags(before: string[], s: ClaimSlots): string[] {
    return claimFlags(knowledge, s)
      .filter((f) => !before.includes(f))
      .map((f) => `提示：${f}，可能影响理赔。报案照常受理，客户经理会和您核实。`)
  }

  function merge(d: ClaimData, facts: ClaimSlots): string[] {
    const noted: string[] = []
    for (const [k, v] of Object.entries(facts) as Array<[SlotKey, unknown]>) {
      if (v === undefined || d.slots[k] !== undefined) continue
      ;(d.slots as Record<string, unknown>)[k] = v
      d.history.push(k)
      noted.push(FIELD_BY_KEY.get(k)!.label)
    }
    return noted
  }

  async function start(ctx: TurnContext): Promise<Reply[]> {
    const draft = ctx.session.flow?.name === CLAIM_FLOW ? ctx.session.flow : undefined
    if (draft) {
      // Asked to start again with a draft open: offer it rather than wiping what was filled.
      const d = data(draft)
      if (draft.step !== 'resume') d.paused = draft.step
      draft.step = 'resume'
      return [text(`您有一份未完成的报损（已填${Object.keys(d.slots).length}项），继续吗？回复“继续”接着填，回复“取消”放弃。`)]
    }
    const d: ClaimData = { slots: {}, history: [] }
    ctx.session.flow = { name: CLAIM_FLOW, v: CLAIM_FLOW_VERSION, step: 'company', data: d, startedAt: ctx.now }
    const noted = merge(d, extractFacts(ctx.text, deps(ctx)))
    if (modelFacts && ctx.text.length >= MODEL_MIN_CHARS) noted.push(...merge(d, await modelFacts(ctx, d.slots)))
    // Facts from earlier in a conversation still going on; the district (the firm's own) is kept however old.
    const recent = ctx.now - ctx.session.updatedAt < RESUME_PROMPT_AFTER_MS
    const { district, ...rest } = rememberedFacts(ctx.session.profile)
    const before = Object.keys(d.slots).length
    merge(d, { district, ...(recent ? rest : {}) })
    const earlier = (Object.keys(d.slots) as SlotKey[]).slice(before).map((k) => `${FIELD_BY_KEY.get(k)!.label}：${showSlot(ctx, k, d.slots)}`)
    d.history = d.history.slice(0, before)
    const lead = ['好的，我来帮您在线登记报损，一次问一项。随时可以回复“上一步”“取消”，或直接说“金额改成…”来更正。']
    if (ctx.lang === 'en') lead.unshift(EN_NOTE)
    if (noted.length) lead.push(`已记下：${noted.join('、')}。`)
    if (earlier.length) {
      const as = ctx.session.createdAt < ctx.now ? '按您前面说的，先记下' : '先记下'
      lead.push(`${as}——${earlier.join('；')}。不对的话直接说，例如“报关时间改成2021年5月”。`)
    }
    return advance(ctx, d, [...lead, ...newFlags([], d.slots)])
  }

  function submit(ctx: TurnContext, d: ClaimData): Promise<Reply[]> {
    // A draft that reached the confirm step before submission keys existed gets one now.
    d.submission ??= newSubmissionKey()
    return filing.submit(ctx, d.slots, d.submission, deps(ctx))
  }

  function correct(ctx: TurnContext, d: ClaimData, key: SlotKey, value: string): Reply[] {
    const field = FIELD_BY_KEY.get(key)!
    const parsed = field.parse(value, deps(ctx), d.slots)
    if (!parsed.ok) return [text(parsed.error)]
    const before = claimFlags(knowledge, d.slots)
    ;(d.slots as Record<string, unknown>)[key] = parsed.value
    if (key === 'lc' && parsed.value === false) delete d.slots.issuingBank
    const lead = [`已更正${field.label}：${(field.show as (v: unknown, f: FieldDeps) => string)(parsed.value, deps(ctx))}`, ...newFlags(before, d.slots)]
    return advance(ctx, d, lead)
  }

  /**
   * The field a correction names: the words must be a field's name ("金额", "买方名称", "联系人的电话"), so "买家说应该是
   * 下个月付" in a description is not a correction of the buyer.
   */
  function fieldNamed(name: string): SlotKey | undefined {
    const n = name.replace(FIELD_LEAD, '').replace(/(的|也|填|写)$/, '').trim()
    let best: { key: SlotKey; len: number } | undefined
    for (const f of FIELDS) {
      for (const a of f.aliases) {
        const fits = n === a || (n.endsWith(a) && /^.{1,6}的$/.test(n.slice(0, -a.length)))
        if (fits && (!best || a.length > best.len)) best = { key: f.key, len: a.length }
      }
    }
    return best?.key
  }

  /**
   * "确认" again right after the report was filed: the first reply was lost (a crash, a dropped connection) and
   * the user asks again. They get the same number, never a policy excerpt about "confirming".
   */
  const confirmsAgain = (ctx: TurnContext) => {
    const { topic, topicAt } = ctx.session.profile
    return topic === CLAIM_FLOW && topicAt !== undefined && ctx.now - topicAt < RESUME_PROMPT_AFTER_MS && SUBMIT_WORD.test(ctx.text.trim())
  }

  /**
   * A question the router sends here only because the report was the last topic ("这个要多久" mid-form or right
   * after submitting): answer what the brief allows and never open or pause a form for it.
   */
  function aside(ctx: TurnContext): Reply[] {
    const time = /多久|多长时间|几天|多少天|什么时候|how long|when/.test(ctx.norm)
    if (ctx.lang === 'en') {
      return [text(time
        ? `The policy brief does not say how long a claim takes; please ask the claims line ${claimsPhone}. Once the report is submitted, reply "我的报案" to see its status.`
        : `The policy brief has no direct answer to that. The claims line ${claimsPhone} can help, or ask me about the policy.`)]
    }
    return [text(time
      ? `政策简介没有写理赔需要多长时间，具体请问理赔服务电话 ${claimsPhone}。报损提交后，可以回复“我的报案”查看进度。`
      : `这个问题政策简介里没有直接的答案，可以拨打理赔服务电话 ${claimsPhone} 咨询，也可以问我统保政策的具体问题。`)]
  }

  return {
    key: CLAIM_FLOW,
    menuLabel: '在线报损（买家不付款、拒收等）',
    flowVersion: CLAIM_FLOW_VERSION,
    detect: (ctx) => wantsToStart(ctx) || confirmsAgain(ctx),
    start,
    async handle(ctx) {
      if (wantsToStart(ctx)) return start(ctx)
      return (confirmsAgain(ctx) && (await filing.lastFiled(ctx, RESUME_PROMPT_AFTER_MS))) || aside(ctx)
    },
    async settle(ctx) {
      const d = data(ctx.session.flow!)
      return d.submission ? filing.alreadyFiled(ctx, d.submission) : undefined
    },
    storeDown(ctx, inside) {
      return inside || SUBMIT_WORD.test(ctx.text.trim()) ? filing.storeDownText : undefined
    },
    reminder(ctx) {
      const flow = ctx.session.flow
      const step = flow?.step
      if (flow && step === 'confirm') return '（您的报损还没填完：核对上面的汇总，无误请回复“确认”提交，回复“取消”放弃。）'
      if (flow && step && FIELD_BY_KEY.has(step as SlotKey)) {
        return `（您的报损还没填完，我们接着填：${prompt(ctx, step as SlotKey, data(flow).slots)} 回复“取消”放弃。）`
      }
      return '（您的报损还没填完。回复“继续”接着填，回复“取消”放弃。）'
    },
    async resume(ctx) {
      const flow = ctx.session.flow!
      const d = data(flow)
      const t = ctx.norm

      if (CANCEL.test(t)) {
        delete ctx.session.flow
        return [text('已取消本次报损，填写的内容没有保存。需要时回复“报损”重新开始。')]
      }
      if (flow.step !== 'resume' && ctx.now - ctx.session.updatedAt > RESUME_PROMPT_AFTER_MS && !CONTINUE.test(t)) {
        d.paused = flow.step
        flow.step = 'resume'
        // Back after a while with a question: answer it; the reminder mentions the draft.
        if (ctx.reading.asks) return undefined
        const filled = Object.keys(d.slots).length
        return [text(`您有一份未完成的报损（已填${filled}项），继续吗？回复“继续”接着填，回复“取消”放弃。`)]
      }
      if (flow.step === 'resume') {
        if (CONTINUE.test(t)) {
          flow.step = d.paused ?? nextKey(d.slots) ?? 'confirm'
          delete d.paused
          if (flow.step === 'confirm') d.submission ??= newSubmissionKey()
          return flow.step === 'confirm' ? [text(summary(ctx, d.slots))] : [text(`好的，我们接着填。\n${prompt(ctx, flow.step as SlotKey, d.slots)}`)]
        }
        return undefined
      }
      const here = () => (flow.step === 'confirm' ? summary(ctx, d.slots) : prompt(ctx, flow.step as SlotKey, d.slots))
      if (CONTINUE_WORD.test(t) && flow.step !== 'confirm') {
        return [text(prompt(ctx, flow.step as SlotKey, d.slots))]
      }
      if (BACK.test(t)) {
        const prev = d.history.pop()
        if (!prev) return [text(`已经是第一个问题了。\n${prompt(ctx, flow.step as SlotKey, d.slots)}`)]
        delete d.slots[prev]
        if (prev === 'lc') delete d.slots.issuingBank
        flow.step = prev
        return [text(`好的，回到上一步。\n${prompt(ctx, prev, d.slots)}`)]
      }
      // "我要报损" again while filling it in: the form is already open; never a company name.
      if (START_ONLY.test(t) || START_ONLY_EN.test(t)) {
        return [text(`您正在填写报损，我们接着填。\n${here()}`)]
      }
      // A question mid-form is answered by the router (the reminder repeats where we are); it is never a field value.
      if (ctx.reading.asksInstead(flow.step === 'description' || flow.step === 'cause')) return undefined
      if (isWaiting(ctx.text)) {
        return [text(flow.step === 'confirm' ? '好的，不着急。核对好了回复“确认”提交。' : `好的，不着急。准备好了直接回复就行：\n${here()}`)]
      }

      const fix = CORRECTION.exec(ctx.text.trim())
      const fixKey = fix && fieldNamed(fix[1]!)
      if (fix && fixKey) return correct(ctx, d, fixKey, fix[2]!)
      const edit = EDIT.exec(ctx.text.trim()) ?? EDIT_AFTER.exec(ctx.text.trim())
      const editKey = edit && fieldNamed(edit[1]!)
      if (editKey) {
        flow.step = editKey
        return [text(`好的，请重新填写${FIELD_BY_KEY.get(editKey)!.label}。\n${prompt(ctx, editKey, d.slots)}`)]
      }

      if (flow.step === 'confirm') {
        const yes = parseConfirmation(ctx.text)
        if (yes) return submit(ctx, d)
        if (yes === false) return [text(EDIT_HELP)]
        if (ctx.reading.asks) return undefined
        return [text('请回复“确认”提交，或说明要改哪一项（例如“电话改成13800138000”），回复“取消”放弃。')]
      }

      const key = flow.step as SlotKey
      const field = FIELD_BY_KEY.get(key)
      if (!field) return advance(ctx, d)
      if (key !== 'lc' && key !== 'ownName' && BARE_REFUSE.test(t)) {
        return [text(`${EDIT_HELP}\n不用改的话，请接着回答：${prompt(ctx, key, d.slots)}`)]
      }
      const before = claimFlags(knowledge, d.slots)
      let facts = FREE_TEXT.has(key) ? {} : extractFacts(ctx.text, deps(ctx))
      // A name alone is taken whole, exactly as typed ("Beta GmbH & Co. KG"), not as the part a sentence scan finds.
      if (key === 'buyerName' && Object.keys(facts).every((k) => k === 'buyerName')) facts = {}
      const fromFacts = facts[key]
      const parsed = fromFacts !== undefined ? { ok: true as const, value: fromFacts } : field.parse(ctx.text, deps(ctx), d.slots)
      if (!parsed.ok) {
        // A policy question in the middle of the form: answer it and keep the form.
        if (parsed.question || ctx.reading.asks) return undefined
        // A bare district or street typed at another question ("宝安区" for the company name) answers the district one.
        const place = d.slots.district === undefined ? places.resolve(t) : undefined
        if (place && t.replace(/[\s。.!！]/g, '').length <= place.matched.length + 3) {
          d.slots.district = place.district
          d.history.push('district')
          return [text(`${parsed.error}\n（已记下所在区：${place.district}。）`)]
        }
        return [text(parsed.error)]
      }
      ;(d.slots as Record<string, unknown>)[key] = parsed.value
      d.history.push(key)
      const noted = merge(d, facts)
      if (modelFacts && !FREE_TEXT.has(key) && ctx.text.length >= MODEL_MIN_CHARS) noted.push(...merge(d, await modelFacts(ctx, d.slots)))
      const lead = noted.length ? [`已记下：${noted.join('、')}。`] : []
      return advance(ctx, d, [...lead, ...newFlags(before, d.slots)])
    },
  }
}

