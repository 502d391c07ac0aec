import type { Hono } from 'hono'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { Store } from '../../store/types.js'
import type { ConsoleEnv } from '../context.js'
import { findReports, PAGE_SIZE, parseListQuery, totalsOf } from '../report-list.js'
import { visibleReport } from './reports.js'

/**
 * JSON under /console/api for scripts and pages that poll (same session, same roles; 401 without a session):
 * who is signed in, the filtered report list with its totals, one report.
 */
export function apiRoutes(app: Hono<ConsoleEnv>, { store, knowledge }: { store: Store; knowledge: Knowledge }): void {
  const districts = knowledge.managers.groups.flatMap((g) => g.districts)

  app.get('/api/me', (c) => {
    const { username, role, districts: mine } = c.var.staff
    return c.json({ username, role, districts: mine })
  })

  app.get('/api/reports', async (c) => {
    const q = parseListQuery(c.req.query(), districts)
    const all = await findReports(store, c.var.staff, q)
    return c.json({ totals: totalsOf(knowledge, all), page: q.page, pageSize: PAGE_SIZE, reports: all.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE) })
  })

  app.get('/api/reports/:no', async (c) => c.json({ report: await visibleReport(store, c, c.req.param('no')) }))
}
