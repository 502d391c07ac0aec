import type { Context, Hono } from 'hono'
import { z } from 'zod'
import type { HandoffDesk, Refusal } from '../../handoff/desk.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { Handoff, StaffStore } from '../../store/types.js'
import type { ConsoleEnv } from '../context.js'
import { ConsoleError } from '../errors.js'
import { canSeeHandoff } from '../handoff-view.js'
import { page } from '../render.js'
import { HandoffDetail, HandoffQueue, type QueuePage } from '../views/handoffs.js'

/** A page number from the query: a positive integer, else 1. */
function pageNumber(raw: string | undefined): number {
  const n = Number(raw)
  return Number.isSafeInteger(n) && n >= 1 ? n : 1
}

/** The page shown for a wanted one: past the last page (the list got shorter), the last. */
function pageWithin(wanted: number, total: number, perPage: number): QueuePage {
  const pages = Math.max(1, Math.ceil(total / perPage))
  return { n: Math.min(wanted, pages), pages, total }
}

export interface HandoffRoutesDeps {
  desk: HandoffDesk
  staff: StaffStore
  knowledge: Knowledge
  now: () => number
}

const ID = /^[0-9a-f]{12}$/
/** Open handoffs per page of the queue (`?page=N`), and closed ones per page of its closed list (`?closedPage=N`). */
const OPEN_PER_PAGE = 30
const CLOSED_PER_PAGE = 20
/** A manager's closed list is filtered by district, so it is read in chunks of this many (at most HANDOFF_KEEP_CLOSED in all). */
const CLOSED_SCAN = 200
const TEXT_MAX = 1000
const NOTE_MAX = 500
// Control characters out (they would reach a WeChat message); line breaks kept.
const clean = (s: string) => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').trim()
const replySchema = z.object({ text: z.string().default('').transform(clean).pipe(z.string().min(1, '请填写回复内容').max(TEXT_MAX, `回复不能超过 ${TEXT_MAX} 个字`)) })
const closeSchema = z.object({ note: z.string().default('').transform(clean).pipe(z.string().max(NOTE_MAX, `备注不能超过 ${NOTE_MAX} 个字`)) })
const assignSchema = z.object({ to: z.string().trim().min(1, '请选择要分配给的账号') })

const DONE: Record<string, string> = {
  taken: '已接待：您回复的内容会发给这位用户。',
  assigned: '已分配。',
  sent: '已发出：用户已收到（客服消息或微信）。',
  kept: '已保存：用户下次给公众号发消息时会先看到（超出 48 小时客服消息窗口，或没有配置 AppSecret）。',
  turn: '已保存：用户下一次发消息时，回复里会先给出这句话。',
}

/**
 * The staff side of 转人工: /console/handoffs (the queue), /console/handoffs/<id> (conversation and facts), and
 * take, assign, reply (form `text`) and close (form `note`). Every action is a compare-and-set on the handoff, so
 * of two staff members taking the same one exactly one gets it; every action is in the audit log.
 */
export function handoffRoutes(app: Hono<ConsoleEnv>, { desk, staff, knowledge, now }: HandoffRoutesDeps): void {
  const actor = (c: Context<ConsoleEnv>) => ({ username: c.var.staff.username, admin: c.var.staff.role === 'admin' })

  async function visible(c: Context<ConsoleEnv>): Promise<Handoff> {
    const id = c.req.param('id') ?? ''
    const h = ID.test(id) ? await desk.get(id) : undefined
    if (!h || !canSeeHandoff(c.var.staff, h)) throw new ConsoleError(404, '没有找到这个人工客服请求（或它不在您负责的区）。')
    return h
  }

  function refused(reason: Refusal, h?: Handoff): never {
    if (reason === 'not_found') throw new ConsoleError(404, '没有找到这个人工客服请求。')
    if (reason === 'closed') throw new ConsoleError(409, '这个人工客服请求已经结束。')
    throw new ConsoleError(409, `${h?.takenBy ?? '其他人'} 已经在接待这位用户，您的操作没有执行。`)
  }

  /** One page of the closed handoffs the staff member may see, and how many pages there are. */
  async function closedPage(c: Context<ConsoleEnv>, wanted: number): Promise<{ items: Handoff[]; page: QueuePage }> {
    const store = desk.store
    // Hotline and admins see every handoff (canSeeHandoff): the store pages for them, reading one page.
    if (c.var.staff.role !== 'manager') {
      const total = await store.countClosed()
      const at = pageWithin(wanted, total, CLOSED_PER_PAGE)
      return { items: await store.listClosed(CLOSED_PER_PAGE, (at.n - 1) * CLOSED_PER_PAGE), page: at }
    }
    const mine: Handoff[] = []
    for (let offset = 0; ; offset += CLOSED_SCAN) {
      const chunk = await store.listClosed(CLOSED_SCAN, offset)
      mine.push(...chunk.filter((h) => canSeeHandoff(c.var.staff, h)))
      if (chunk.length < CLOSED_SCAN) break
    }
    const at = pageWithin(wanted, mine.length, CLOSED_PER_PAGE)
    return { items: mine.slice((at.n - 1) * CLOSED_PER_PAGE, at.n * CLOSED_PER_PAGE), page: at }
  }

  app.get('/handoffs', async function handoffQueue(c) {
    const mine = (h: Handoff) => canSeeHandoff(c.var.staff, h)
    const wanted = { open: pageNumber(c.req.query('page')), closed: pageNumber(c.req.query('closedPage')) }
    const open = (await desk.store.listOpen()).filter(mine)
    const openAt = pageWithin(wanted.open, open.length, OPEN_PER_PAGE)
    // The 15-second refresh (htmx) swaps in the open list alone: the closed list is not read for it.
    const refresh = c.req.header('HX-Request') === 'true'
    // (Its closed page number only goes back into the refresh's own address.)
    const closed = refresh ? { items: [], page: { n: wanted.closed, pages: wanted.closed, total: 0 } } : await closedPage(c, wanted.closed)
    const closedId = c.req.query('closed')
    return page(
      c,
      '人工客服',
      <HandoffQueue
        open={open.slice((openAt.n - 1) * OPEN_PER_PAGE, openAt.n * OPEN_PER_PAGE)}
        openPage={openAt}
        closed={closed.items}
        closedPage={closed.page}
        now={now()}
        csrf={c.var.csrf}
        knowledge={knowledge}
        me={c.var.staff.username}
        notice={closedId && ID.test(closedId) ? '已结束，用户已收到或会在下一条消息时看到结束通知。' : undefined}
      />,
    )
  })

  app.get('/handoffs/:id', async function handoffDetail(c) {
    const h = await visible(c)
    const accounts = (await staff.list()).filter((a) => canSeeHandoff(a, h)).map((a) => a.username)
    const done = c.req.query('done')
    return page(
      c,
      `人工客服 · ${h.id}`,
      <HandoffDetail h={h} now={now()} csrf={c.var.csrf} knowledge={knowledge} me={c.var.staff.username} admin={c.var.staff.role === 'admin'} staff={accounts} notice={done ? DONE[done] : undefined} />,
    )
  })

  app.post('/handoffs/:id/take', async function takeHandoff(c) {
    const h = await visible(c)
    const r = await desk.take(h.id, actor(c))
    if (!r.ok) refused(r.reason, r.handoff)
    // Audited by the desk, in the store step that took it (handoff.take).
    return c.redirect(`/console/handoffs/${h.id}?done=taken`, 303)
  })

  app.post('/handoffs/:id/assign', async function assignHandoff(c) {
    const h = await visible(c)
    const parsed = assignSchema.safeParse(await c.req.parseBody())
    if (!parsed.success) throw new ConsoleError(400, parsed.error.issues.map((i) => i.message).join('；'))
    const to = await staff.get(parsed.data.to)
    if (!to || !canSeeHandoff(to, h)) throw new ConsoleError(400, `没有账号 ${parsed.data.to}，或它看不到这位用户（客户经理只看所负责的区）。`)
    const r = await desk.assign(h.id, to.username, actor(c))
    if (!r.ok) refused(r.reason, r.handoff)
    return c.redirect(`/console/handoffs/${h.id}?done=assigned`, 303)
  })

  app.post('/handoffs/:id/reply', async function replyToUser(c) {
    const h = await visible(c)
    const parsed = replySchema.safeParse(await c.req.parseBody())
    if (!parsed.success) throw new ConsoleError(400, parsed.error.issues.map((i) => i.message).join('；'))
    const r = await desk.reply(h.id, actor(c), parsed.data.text)
    if (!r.ok) refused(r.reason, r.handoff)
    return c.redirect(`/console/handoffs/${h.id}?done=${r.delivered ?? 'turn'}`, 303)
  })

  app.post('/handoffs/:id/close', async function closeHandoff(c) {
    const h = await visible(c)
    const parsed = closeSchema.safeParse(await c.req.parseBody())
    if (!parsed.success) throw new ConsoleError(400, parsed.error.issues.map((i) => i.message).join('；'))
    const r = await desk.close(h.id, actor(c), parsed.data.note)
    if (!r.ok) refused(r.reason, r.handoff)
    return c.redirect(`/console/handoffs?closed=${h.id}`, 303)
  })
}
