import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { describeGroup, goldenCandidates, tallyGroups } from '../../handoff/unanswered-groups.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import { UNANSWERED_KEEP, type UnansweredLog } from '../../store/types.js'
import type { ConsoleEnv } from '../context.js'
import { ConsoleError } from '../errors.js'
import { page } from '../render.js'
import { UnansweredList } from '../views/unanswered.js'

/** Groups on one page of the list. */
export const GROUPS_PER_PAGE = 50

const handledSchema = z.object({
  group: z.string().regex(/^[0-9a-f]{14}$/, '缺少问题组'),
  upTo: z.string().regex(/^\d+$/, '缺少问题组的时间'),
})

/**
 * /console/unanswered: what the bot could not answer (abstentions, weak answers, model answers the fact guard
 * threw out), near-identical questions grouped, most asked and most recent first. A group can be marked handled
 * (after the knowledge base was improved), or exported as golden-set candidates in test/golden's shape.
 */
export function unansweredRoutes(app: Hono<ConsoleEnv>, { log, knowledge, now }: { log: UnansweredLog; knowledge: Knowledge; now: () => number }): void {
  // Linear in the entries (groups were found when each was logged): no page view compares questions.
  async function groupsFor(show: 'open' | 'handled') {
    const entries = (await log.recent(UNANSWERED_KEEP)).filter((e) => (show === 'handled') === (e.handledAt !== undefined))
    return { groups: tallyGroups(entries), total: entries.length }
  }
  const showOf = (c: Context<ConsoleEnv>) => (c.req.query('show') === 'handled' ? 'handled' : 'open')

  app.get('/unanswered', async function unansweredPage(c) {
    const show = showOf(c)
    const { groups, total } = await groupsFor(show)
    const pages = Math.max(1, Math.ceil(groups.length / GROUPS_PER_PAGE))
    const p = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1))
    const marked = c.req.query('marked')
    return page(
      c,
      '未答问题',
      <UnansweredList
        groups={groups.slice((p - 1) * GROUPS_PER_PAGE, p * GROUPS_PER_PAGE).map(describeGroup)}
        groupCount={groups.length}
        page={p}
        pages={pages}
        show={show}
        total={total}
        csrf={c.var.csrf}
        knowledge={knowledge}
        canAct
        notice={marked && /^\d+$/.test(marked) ? `已标记 ${marked} 次提问为已处理。` : undefined}
      />,
    )
  })

  app.post('/unanswered/handled', async function markHandled(c) {
    const parsed = handledSchema.safeParse(await c.req.parseBody())
    if (!parsed.success) throw new ConsoleError(400, parsed.error.issues.map((i) => i.message).join('；'))
    // The group as it is now, up to what the page showed: a question asked again since stays for the next look.
    const { groups } = await groupsFor('open')
    const group = groups.find((g) => g.id === parsed.data.group)
    if (!group) throw new ConsoleError(404, '这组问题已经处理过了，或已不在记录里。')
    const upTo = Number(parsed.data.upTo)
    const ids = group.members.filter((e) => e.at <= upTo).map((e) => e.id)
    await log.markHandled(ids, c.var.staff.username, now())
    await c.var.audit('unanswered.handled', describeGroup(group).question, undefined, { count: ids.length })
    return c.redirect(`/console/unanswered?marked=${ids.length}`, 303)
  })

  app.get('/unanswered/golden.json', async function exportGolden(c) {
    const show = showOf(c)
    const { groups } = await groupsFor(show)
    const key = c.req.query('group')
    const chosen = (key ? groups.filter((g) => g.id === key) : groups).map(describeGroup)
    if (key && !chosen.length) throw new ConsoleError(404, '没有找到这组问题。')
    await c.var.audit('unanswered.export', key ? chosen[0]!.question : undefined, undefined, { groups: chosen.length })
    const day = new Date(now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
    return c.body(`${JSON.stringify(goldenCandidates(chosen), null, 2)}\n`, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="golden-candidates-${day}.json"`,
      'Cache-Control': 'no-store',
    })
  })
}
