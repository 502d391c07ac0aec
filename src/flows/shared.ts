import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { MoneyAmount } from '../policy/amount.js'
import { formatUsd } from '../policy/amount.js'

/** A message that asks something rather than answering the bot's question. */
export function looksLikeQuestion(norm: string): boolean {
  return /[?？]|吗|呢|怎么|如何|什么|哪|谁|为什么|是否|能不能|可不可以|多少|几/.test(norm)
}

/** Manager names and phones for a district, as the knowledge base lists them. */
export function managersOf(k: Knowledge, district: string): string | undefined {
  const group = k.managers.groups.find((g) => g.districts.includes(district))
  return group?.managers.map((m) => `${m.name} ${m.phones.join(' / ')}`).join('；')
}

/** "宝安区的客户经理：吕宇翔 13699865957", then an optional note, then the source line. */
export function managerAnswer(k: Knowledge, district: string, note?: string): string {
  const line = `${district}的客户经理：${managersOf(k, district) ?? '（资料中没有该区的客户经理）'}`
  return [line, note, citation(k, k.managers.source)].filter(Boolean).join('\n')
}

/** The districts the managers cover, for "please choose". */
export function districtChoices(k: Knowledge): string {
  return k.managers.groups.flatMap((g) => g.districts).join('、')
}

const CURRENCY_NAMES: Record<string, string> = { CNY: '人民币', HKD: '港币', EUR: '欧元', OTHER: '外币', UNKNOWN: '' }

/** An amount as the user gave it: "10万美元", "180万港币". */
export function formatMoney(a: MoneyAmount): string {
  if (a.currency === 'USD') return formatUsd(a.value)
  return `${a.value.toLocaleString('en-US')}${CURRENCY_NAMES[a.currency] ?? ''}`
}
