import type { Engine } from '../engine/engine.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import { wordingOf } from '../understand/acts.js'
import type { ClaimSlots } from '../flows/claim/fields.js'
import { checkCreditCode, creditCodeProblem, findCreditCode } from '../policy/credit-code.js'
import type { PlaceMatch, PlaceResolver } from '../policy/places.js'
import { companyKey, nameSimilarity } from '../policy/roster.js'
import type { LossReport, RosterEntry, StaffAccount, Store } from '../store/types.js'
import { normalize } from '../text/normalize.js'
import { companyOf } from './report-view.js'
import { canSeeReport } from './scope.js'

const REPORT_NO = /bs\d{8}-\d{4,}/i
const CODE_LIKE = /(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])/i
const LEGAL_FORM = /(公司|集团|厂|商行|有限|股份|co\.?,? ?ltd|limited|inc\.?|corp)/i
// What may stand around a place name in "宝安区客户经理是谁", "沙井街道的经理电话": still a place lookup.
const PLACE_WORDS = /街道|社区|客户经理|业务经理|经理|负责人|对接人|联系人|联系方式|是谁|找谁|电话|手机|号码|多少|哪位|的|呢|吗|在哪|[?？。.!！,，\s]/g
const MAX_FIRMS = 10
const SIMILAR = 0.5

export interface Manager {
  name: string
  phones: string[]
}

export interface FirmHit {
  name: string
  creditCode?: string
  /** On the imported commerce bureau list. */
  onRoster: boolean
  /** Where it is, from its latest report; undefined when it has none. */
  district?: string
  managers?: Manager[]
  /** Its reports this staff member may see, newest first. */
  reports: LossReport[]
}

export interface LookupResult {
  q: string
  /** A report number was typed: the report, if this staff member may see it. */
  report?: { number: string; found?: LossReport }
  firms?: FirmHit[]
  /** A credit code that fails its check digit or length. */
  codeProblem?: string
  place?: PlaceMatch & { managers: Manager[] }
  /** The bot's answer, exactly as a user gets it (replies joined), for a policy question. */
  answer?: string[]
  rosterSize: number
}

export interface LookupDeps {
  store: Store
  engine: Engine
  knowledge: Knowledge
  places: PlaceResolver
}

/**
 * The console's one search box: a report number, a credit code, a district or street, a firm's name (or part of
 * it), and otherwise a policy question answered by the bot itself. Only reports the staff member may see are
 * shown; roster and manager facts are for everyone.
 */
export function createLookup({ store, engine, knowledge, places }: LookupDeps) {
  const { acts } = wordingOf(knowledge.wording)
  const managersOf = (district: string): Manager[] =>
    knowledge.managers.groups.find((g) => g.districts.includes(district))?.managers.map((m) => ({ name: m.name, phones: [...m.phones] })) ?? []

  /** A place alone, perhaps with "客户经理" or "电话" around it: not a sentence about something else. */
  function placeOnly(q: string): PlaceMatch | undefined {
    const norm = normalize(q)
    const place = places.resolve(norm)
    if (!place) return undefined
    const rest = norm.replace(place.matched, '').replace(PLACE_WORDS, '')
    return rest.length <= 1 ? place : undefined
  }

  async function visibleReports(staff: StaffAccount): Promise<LossReport[]> {
    return (await store.reports.listFiled({})).filter((r) => canSeeReport(staff, r))
  }

  /** Firms by credit code or name, from the roster and from the reports (a firm may report without being listed). */
  async function firms(staff: StaffAccount, q: string, code: string | undefined): Promise<FirmHit[]> {
    const [roster, reports] = await Promise.all([store.roster.all(), visibleReports(staff)])
    const key = companyKey(q)
    const score = (name: string): number => {
      const k = companyKey(name)
      if (!k || !key) return 0
      if (k === key) return 1
      if (key.length >= 2 && k.includes(key)) return 0.9
      return nameSimilarity(name, q)
    }
    const rosterHits: Array<{ entry: RosterEntry; s: number }> = code
      ? roster.filter((e) => e.creditCode === code).map((entry) => ({ entry, s: 1 }))
      : roster.map((entry) => ({ entry, s: score(entry.name) })).filter((h) => h.s >= SIMILAR)
    rosterHits.sort((a, b) => b.s - a.s)

    const hits: FirmHit[] = []
    const claimed = new Set<LossReport>()
    for (const { entry } of rosterHits.slice(0, MAX_FIRMS)) {
      const own = reports.filter((r) => (r.fields as ClaimSlots).creditCode === entry.creditCode || companyKey(companyOf(r)) === companyKey(entry.name))
      own.forEach((r) => claimed.add(r))
      hits.push(firm(entry.name, entry.creditCode, true, own))
    }
    // Firms known only from their reports: grouped by credit code, else by name.
    const others = new Map<string, LossReport[]>()
    for (const r of reports) {
      if (claimed.has(r)) continue
      const slots = r.fields as ClaimSlots
      const matches = code ? slots.creditCode === code : score(companyOf(r)) >= SIMILAR
      if (!matches) continue
      const group = slots.creditCode ?? companyKey(companyOf(r))
      others.set(group, [...(others.get(group) ?? []), r])
    }
    for (const own of others.values()) {
      if (hits.length >= MAX_FIRMS) break
      hits.push(firm(companyOf(own[0]!), (own[0]!.fields as ClaimSlots).creditCode, false, own))
    }
    return hits
  }

  function firm(name: string, creditCode: string | undefined, onRoster: boolean, reports: LossReport[]): FirmHit {
    const district = reports[0]?.district
    return { name, creditCode, onRoster, district, managers: district ? managersOf(district) : undefined, reports }
  }

  /** The bot's own answer, from a throwaway conversation (its session is dropped afterwards). */
  async function botAnswer(staff: StaffAccount, q: string): Promise<string[]> {
    const userId = `lookup:${staff.username}:${crypto.randomUUID()}`
    const replies = await engine.handle({ channel: 'console', userId, text: q })
    await store.sessions.delete(`console:${userId}`).catch(() => undefined)
    return replies.map((r) => r.text)
  }

  return async function lookup(staff: StaffAccount, raw: string): Promise<LookupResult> {
    const q = raw.trim().slice(0, 200)
    const rosterSize = await store.roster.size()
    const result: LookupResult = { q, rosterSize }
    if (!q) return result

    const no = REPORT_NO.exec(q)?.[0].toUpperCase()
    if (no) {
      const r = await store.reports.get(no)
      result.report = { number: no, found: r && canSeeReport(staff, r) ? r : undefined }
      return result
    }

    // A code that fails its check (a typo) is said so; one that passes finds the firm.
    const candidate = findCreditCode(q) ?? CODE_LIKE.exec(q)?.[0]
    let code: string | undefined
    if (candidate && /\d{6}/.test(candidate)) {
      const check = checkCreditCode(candidate)
      if (check.ok) code = check.code
      else result.codeProblem = `“${candidate}”${creditCodeProblem(check.reason)}`
    }
    if (code) {
      result.firms = await firms(staff, q, code)
      return result
    }
    // Stop at a code that fails its check (a typo): searching names or asking the bot would only confuse.
    if (result.codeProblem) return result

    const question = acts.asks(normalize(q))
    const place = placeOnly(q)
    if (place) {
      result.place = { ...place, managers: managersOf(place.district) }
      return result
    }
    if (!question || LEGAL_FORM.test(q)) {
      const found = await firms(staff, q, undefined)
      if (found.length) result.firms = found
    }
    // A question is answered by the bot even when it names a firm; so is anything nothing else matched.
    if (question || (!result.firms && !result.codeProblem)) result.answer = await botAnswer(staff, q)
    return result
  }
}

export type Lookup = ReturnType<typeof createLookup>
