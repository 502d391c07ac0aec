import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { formatUsd } from '../policy/amount.js'
import type { StatedFact } from '../understand/stated.js'

/*
 * "报案是打88325713对吧？", "赔付比例是九成吗", "保险期限是1.5个月对吧": the user states a fact of the policy and asks
 * whether it is right. Each stated fact is compared, by kind, with the knowledge base; a wrong one is corrected
 * plainly ("不对"), with what the stated value really is when it is another known number, and the source.
 */

interface Phone {
  label: string
  labelEn: string
  phones: readonly string[]
  source: string
}

/** "2021-01" → "2021年1月". */
const month = (ym: string) => `${ym.slice(0, 4)}年${Number(ym.slice(5, 7))}月`

export function createFactCheckSkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const c = knowledge.contacts
  const { indemnity } = knowledge.rules
  const phones: Record<'claims' | 'singleWindow' | 'policy', Phone> = {
    claims: { ...c.claimsHotline, labelEn: 'The claims phone' },
    singleWindow: { ...c.singleWindowSupport, labelEn: 'The Single Window support phone' },
    policy: { ...c.policyHotlines, labelEn: 'The policy consultation phones' },
  }
  // The section that states the policy term (its title says so), else the cover period's.
  const termSection = [...knowledge.sections.values()].find((s) => s.title.includes('保险期限'))?.id ?? knowledge.rules.coverPeriod.source
  const managers = knowledge.managers.groups.flatMap((g) => g.managers.map((m) => ({ ...m, districts: g.districts })))

  /** What a known number is ("政策办理咨询电话", "南山区等的客户经理金悠的手机"), or undefined. */
  function whatIs(phone: string, en: boolean): string | undefined {
    const line = Object.values(phones).find((p) => p.phones.includes(phone))
    if (line) return en ? line.labelEn.replace(/^The /, 'the ') : line.label
    const m = managers.find((x) => x.phones.includes(phone))
    return m && (en ? `the number of account manager ${m.name} (${m.districts.join(', ')})` : `${m.districts.join('、')}客户经理${m.name}的电话`)
  }

  /** The lines for one stated fact and the section they come from; undefined when there is nothing to check it by. */
  function check(f: StatedFact, en: boolean): { line: string; source: string } | undefined {
    switch (f.kind) {
      case 'phone': {
        if (!f.role || f.role === 'manager') {
          const is = whatIs(f.value, en)
          if (!is) return undefined
          return { line: en ? `${f.value} is ${is}.` : `${f.value}是${is}。`, source: f.role === 'manager' ? knowledge.managers.source : (Object.values(phones).find((p) => p.phones.includes(f.value))?.source ?? knowledge.managers.source) }
        }
        const truth = phones[f.role]
        const list = truth.phones.join('、')
        if (truth.phones.includes(f.value)) return { line: en ? `Yes: ${truth.labelEn.replace(/^The /, 'the ')} is ${list}.` : `对，${truth.label}是${list}。`, source: truth.source }
        const other = whatIs(f.value, en)
        const note = other ? (en ? ` ${f.value} is ${other}.` : `${f.value}是${other}。`) : en ? ` ${f.value} is not a number in the policy brief.` : `${f.value}不是政策简介里的号码。`
        return { line: en ? `No: ${truth.labelEn.replace(/^The /, 'the ')} is ${list}.${note}` : `不对，${truth.label}是${list}。${note}`, source: truth.source }
      }
      case 'ratio': {
        const pct = `${Math.round(indemnity.ratio * 100)}%`
        const right = Math.abs(f.value - indemnity.ratio) < 1e-9
        return {
          line: en ? `${right ? 'Yes' : 'No'}: the loss is paid at ${pct}.` : right ? `对，按损失金额的${pct}赔付。` : `不对，统保按损失金额的${pct}赔付，不是${Math.round(f.value * 100)}%。`,
          source: indemnity.source,
        }
      }
      case 'cap': {
        const cap = formatUsd(indemnity.limitPerBuyerUsd)
        const right = f.value === indemnity.limitPerBuyerUsd
        return {
          line: en
            ? `${right ? 'Yes' : 'No'}: the limit is ${cap} per buyer (or issuing bank).`
            : right
              ? `对，单一买方（或开证行）责任限额${cap}。`
              : `不对，单一买方（或开证行）责任限额是${cap}，不是${formatUsd(f.value)}。`,
          source: indemnity.source,
        }
      }
      case 'term': {
        const years = knowledge.rules.policyTermYears
        const { from, to } = knowledge.rules.coverPeriod
        const right = f.unit === 'year' && f.value === years
        const period = `${month(from)}至${month(to)}`
        const said = `${f.value}${f.unit === 'year' ? '年' : '个月'}`
        return {
          line: en
            ? `${right ? 'Yes' : 'No'}: the policy term is ${years} years (${from} to ${to}).`
            : right
              ? `对，保险期限为${years}年（${period}）。`
              : `不对，统保保险期限为${years}年（${period}），不是${said}。`,
          source: termSection,
        }
      }
    }
  }

  function checked(ctx: TurnContext): Array<{ line: string; source: string }> {
    const en = ctx.lang === 'en'
    return ctx.reading.stated.flatMap((f) => check(f, en) ?? [])
  }

  return {
    key: 'fact-check',
    // Only when the user asks about what they state ("…对吧", "…是吗", "88325713是什么电话"): a figure said in
    // passing is the business of the skill that answers the question.
    detect: (ctx) => ctx.reading.asks && ctx.reading.stated.length > 0 && checked(ctx).length > 0,
    handle: function checkStatedFacts(ctx) {
      const found = checked(ctx)
      const sources = [...new Set(found.map((f) => f.source))].filter((id) => knowledge.sections.has(id))
      return [text([...found.map((f) => f.line), ...sources.map((id) => citation(knowledge, id))].join('\n'))]
    },
  }
}
