import type { Context, Hono } from 'hono'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { ConsoleEnv } from '../context.js'
import type { Lookup } from '../lookup.js'
import { page } from '../render.js'
import { LookupForm, LookupResults } from '../views/lookup.js'

/** /console and /console/lookup?q=…: the search box and what it found. */
export function lookupRoutes(app: Hono<ConsoleEnv>, { lookup, knowledge }: { lookup: Lookup; knowledge: Knowledge }): void {
  const show = async function lookupPage(c: Context<ConsoleEnv>) {
    const q = c.req.query('q') ?? ''
    const result = await lookup(c.var.staff, q)
    return page(
      c,
      '查询',
      <>
        <LookupForm q={result.q} />
        <LookupResults result={result} knowledge={knowledge} />
      </>,
    )
  }
  app.get('/', show)
  app.get('/lookup', show)
}
