/*
 * Office hours of the staff queue (HANDOFF_HOURS), in Beijing time (UTC+8, no daylight saving):
 *   always                                   the queue is staffed around the clock
 *   mon-fri 09:00-18:00                      the default (工作日 9:00–18:00)
 *   mon-fri 09:00-12:00,13:30-18:00; sat 09:00-12:00
 * Days: mon tue wed thu fri sat sun, ranges (mon-fri) and lists (mon,wed), or daily / weekdays / 工作日 / 每天.
 * Public holidays are not known here: on those days the bot promises a reply at the usual hours.
 */

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const DAY_LABELS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const
const BEIJING_MS = 8 * 3600_000
const DAY_MS = 24 * 3600_000

export interface HoursRule {
  /** 0 = Sunday … 6 = Saturday. */
  days: number[]
  /** Minutes after midnight, Beijing time: from inclusive, to exclusive. */
  from: number
  to: number
}

export interface OfficeHours {
  always: boolean
  rules: HoursRule[]
  /** The setting as written, for logs. */
  spec: string
}

export const DEFAULT_HOURS = 'mon-fri 09:00-18:00'

function parseDays(s: string): number[] {
  const word = s.toLowerCase()
  if (word === 'daily' || word === '每天') return [0, 1, 2, 3, 4, 5, 6]
  if (word === 'weekdays' || word === '工作日') return [1, 2, 3, 4, 5]
  const out = new Set<number>()
  for (const part of word.split(',')) {
    const [a, b] = part.split('-')
    const from = DAY_NAMES.indexOf(a as (typeof DAY_NAMES)[number])
    const to = b === undefined ? from : DAY_NAMES.indexOf(b as (typeof DAY_NAMES)[number])
    if (from < 0 || to < 0) throw new Error(`unknown day "${part}" (use mon tue wed thu fri sat sun, e.g. mon-fri)`)
    // mon-sun wraps past Saturday to Sunday.
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d)
      if (d === to) break
    }
  }
  return [...out].sort()
}

function parseTime(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s)
  if (!m) throw new Error(`time "${s}" must be HH:MM`)
  const minutes = Number(m[1]) * 60 + Number(m[2])
  if (Number(m[2]) > 59 || minutes > 24 * 60) throw new Error(`time "${s}" is not a time of day`)
  return minutes
}

/** Read a HANDOFF_HOURS setting; a bad one throws with what is wrong (config.ts reports it under the variable's name). */
export function parseHours(spec: string): OfficeHours {
  const text = spec.trim()
  if (/^(always|24\/7|全天)$/i.test(text)) return { always: true, rules: [], spec: text }
  const rules: HoursRule[] = []
  for (const chunk of text.split(';').map((c) => c.trim()).filter(Boolean)) {
    const m = /^(\S+)\s+(\S+)$/.exec(chunk)
    if (!m) throw new Error(`"${chunk}" must be days and times, e.g. "mon-fri 09:00-18:00"`)
    const days = parseDays(m[1]!)
    for (const range of m[2]!.split(',')) {
      const [a, b] = range.split('-')
      if (b === undefined) throw new Error(`"${range}" must be a range, e.g. 09:00-18:00`)
      const from = parseTime(a!)
      const to = parseTime(b)
      if (to <= from) throw new Error(`"${range}" ends before it starts`)
      rules.push({ days, from, to })
    }
  }
  if (!rules.length) throw new Error('no hours given (e.g. "mon-fri 09:00-18:00", or "always")')
  return { always: false, rules, spec: text }
}

/** Day of week and minute of day in Beijing. */
function beijing(t: number): { day: number; minute: number; midnight: number } {
  const local = t + BEIJING_MS
  const midnightLocal = Math.floor(local / DAY_MS) * DAY_MS
  return { day: new Date(midnightLocal).getUTCDay(), minute: Math.floor((local - midnightLocal) / 60_000), midnight: midnightLocal - BEIJING_MS }
}

/** Whether the queue is staffed at t. */
export function isOpen(h: OfficeHours, t: number): boolean {
  if (h.always) return true
  const { day, minute } = beijing(t)
  return h.rules.some((r) => r.days.includes(day) && minute >= r.from && minute < r.to)
}

/** When the queue is next staffed (t itself if it is now); undefined when always open. */
export function nextOpening(h: OfficeHours, t: number): number | undefined {
  if (h.always) return undefined
  if (isOpen(h, t)) return t
  const { day, minute, midnight } = beijing(t)
  for (let ahead = 0; ahead <= 7; ahead++) {
    const d = (day + ahead) % 7
    const starts = h.rules.filter((r) => r.days.includes(d) && (ahead > 0 || r.from > minute)).map((r) => r.from)
    if (starts.length) return midnight + ahead * DAY_MS + Math.min(...starts) * 60_000
  }
  return undefined
}

const clock = (minutes: number) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`

function dayList(days: number[]): string {
  const key = days.join(',')
  if (key === '1,2,3,4,5') return '周一至周五'
  if (key === '1,2,3,4,5,6') return '周一至周六'
  if (key === '0,1,2,3,4,5,6') return '每天'
  return days.map((d) => DAY_LABELS[d]).join('、')
}

/** The hours as a user reads them: "周一至周五 9:00–18:00（北京时间）". */
export function describeHours(h: OfficeHours): string {
  if (h.always) return '全天'
  const byDays = new Map<string, HoursRule[]>()
  for (const r of h.rules) byDays.set(r.days.join(','), [...(byDays.get(r.days.join(',')) ?? []), r])
  const parts = [...byDays.values()].map((rules) => `${dayList(rules[0]!.days)} ${rules.map((r) => `${clock(r.from)}–${clock(r.to)}`).join('、')}`)
  return `${parts.join('；')}（北京时间）`
}

/** A moment relative to now, Beijing time: "今天 14:00", "明天（周二）9:00", "周一（11月30日）9:00". */
export function describeMoment(t: number, now: number): string {
  const at = beijing(t)
  const today = beijing(now)
  const days = Math.round((at.midnight - today.midnight) / DAY_MS)
  const time = clock(at.minute)
  if (days <= 0) return `今天 ${time}`
  if (days === 1) return `明天（${DAY_LABELS[at.day]}）${time}`
  const date = new Date(at.midnight + BEIJING_MS)
  return `${DAY_LABELS[at.day]}（${date.getUTCMonth() + 1}月${date.getUTCDate()}日）${time}`
}
