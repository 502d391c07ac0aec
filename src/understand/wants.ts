/*
 * What kind of value a question asks for: "要多久" a duration, "打哪个电话" a phone, "什么时候" a date or a
 * month. An answer that holds no value of that kind does not answer the question, however well its words match:
 * "这个要多久" right after the online collection answer is not answered by the collection steps.
 */
export type Wanted = 'duration' | 'phone' | 'date' | 'url'

const ASKS: Array<[Wanted, RegExp]> = [
  ['duration', /多久|多长时间|多长的时间|几天|几个工作日|要几个月|需要几个月|(?<![a-z])how long(?![a-z])/],
  ['phone', /电话|号码|热线|(?<![a-z])(?:phone|hotline|number to call)(?![a-z])/],
  ['date', /什么时候|何时|几时|哪天|几号|截止|(?<![a-z])(?:when|deadline)(?![a-z])/],
  ['url', /网址|网站|链接|(?<![a-z])(?:website|url|link)(?![a-z])/],
]

const HOLDS: Record<Wanted, RegExp> = {
  // "3个工作日", "1.5年", "半个月"; not a date ("2021年1月": a year has four digits, a month alone is not a span).
  duration: /(?<!\d)(?:\d{1,3}(?:\.\d+)?|[一二三四五六七八九十两半几]+)\s*(?:个)?(?:工作日|天|周|星期|个月|年)(?![\d一二三四五六七八九十]+月)|当天|即时|实时|(?<![a-z])\d+\s*(?:days?|weeks?|months?|years?)(?![a-z])/,
  phone: /(?<!\d)\d{8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)/,
  date: /\d{4}\s*年|\d{1,2}\s*月|\d{4}-\d{2}|第一时间|当天|之前|以前|以内|内/,
  url: /https?:\/\/|www\./,
}

/** The kind of value a normalised question asks for, or undefined (a "what" or "how" question). */
export function wantedBy(norm: string): Wanted | undefined {
  return ASKS.find(([, re]) => re.test(norm))?.[0]
}

/** Whether a text holds a value of the wanted kind. */
export function holds(text: string, wanted: Wanted): boolean {
  return HOLDS[wanted].test(text)
}

/** "要多久" → "需要多长时间": the wanted value in words, for saying the brief does not give it. */
export function describeWanted(wanted: Wanted, lang: 'zh' | 'en'): string {
  const zh = { duration: '需要多长时间', phone: '电话号码', date: '具体时间', url: '网址' } as const
  const en = { duration: 'how long it takes', phone: 'a phone number', date: 'when', url: 'a web address' } as const
  return (lang === 'en' ? en : zh)[wanted]
}
