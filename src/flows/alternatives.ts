import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import { plainText } from '../text/normalize.js'

const ASKS_OTHER = /(别的|其他|其它|另外的?|还有什么|还有没有|还有啥)(办法|方式|途径|渠道|方法|路子|选择)|还有(别的|其他)吗|other (ways?|options?|channels?)|another (way|option)|any other way/
// Where a loss is being discussed, "another way" means another way to report it.
const LOSS_TOPICS = new Set(['payout', 'coverage', 'claim', 'claim-status', 'loss-advice'])
// "二（二）1. 线上领取保单" and "二（二）2. 线下领取保单" are two ways of one thing: the same numbered heading.
const PARENT = /^([一二三四五六七八九十]+（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)/

/** "还有别的办法吗": the sibling sections of the last answer (the other way to collect the policy), or the other way to report a loss. */
export function createAlternativesSkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const sections = knowledge.policy.sections
  const parentOf = (s: Section) => PARENT.exec(s.title)?.[1]

  function siblings(shown: string[]): Section[] {
    const parents = new Set(shown.map((id) => knowledge.sections.get(id)).flatMap((s) => (s && parentOf(s) ? [parentOf(s)!] : [])))
    return sections.filter((s) => !shown.includes(s.id) && parents.has(parentOf(s) ?? ''))
  }

  function show(ctx: TurnContext, found: Section[]) {
    ctx.session.lastSectionIds = found.map((s) => s.id)
    const lead = ctx.lang === 'en' ? found.flatMap((s) => (s.en ? [s.en] : [])).join('\n') : ''
    return [text([lead, ...found.map((s) => `${plainText(s.body)}\n${citation(knowledge, s.id)}`)].filter(Boolean).join('\n\n'))]
  }

  function lossReport(ctx: TurnContext) {
    const c = knowledge.contacts
    if (ctx.lang === 'en')
      return [text(`You can report a loss in three ways: online through the Single Window (${c.singleWindowUrl.url}), by the claims phone ${c.claimsHotline.phones.join(', ')}, or here: reply "报损" and I will take the report.\n${citation(knowledge, c.claimsHotline.source)}\n${citation(knowledge, 'online-services')}`)]
    return [text(`报损有三种方式：通过单一窗口（${c.singleWindowUrl.url}）线上报损；拨打理赔服务电话 ${c.claimsHotline.phones.join('、')}；或者回复“报损”，由我在线登记。\n${citation(knowledge, c.claimsHotline.source)}\n${citation(knowledge, 'online-services')}`)]
  }

  function bothWays(ctx: TurnContext) {
    const source = `${citation(knowledge, 'collect-online')}\n${citation(knowledge, 'collect-offline')}`
    if (ctx.lang === 'en') return [text(`The brief gives two ways to collect the policy, online or offline, either one; there is no third way in it. Reply "online" or "offline" for the steps.\n${source}`)]
    return [text(`领取保单，资料里只有线上、线下两种方式（可自行选择其一），上面都已列出。要看哪一种的详细做法，回复“线上领取”或“线下领取”。\n${source}`)]
  }

  return {
    key: 'alternatives',
    detect: (ctx) => ASKS_OTHER.test(ctx.norm) && ctx.norm.length <= 30,
    handle: function otherWays(ctx) {
      const topic = ctx.session.profile.topic
      if (topic && LOSS_TOPICS.has(topic)) return lossReport(ctx)
      // The eligibility answer already gave both ways to collect the policy; the manager answer gave the offline one.
      if (topic === 'eligibility') return bothWays(ctx)
      const shown = topic === 'manager' ? ['collect-offline'] : (ctx.session.lastSectionIds ?? [])
      const found = siblings(shown)
      if (found.length) return show(ctx, found)
      const phones = knowledge.contacts.policyHotlines.phones.join(ctx.lang === 'en' ? ', ' : '、')
      if (ctx.lang === 'en') return [text(`The policy brief gives no other way for this. You can ask the policy consultation phone: ${phones}.\n${citation(knowledge, knowledge.contacts.policyHotlines.source)}`)]
      return [text(`统保政策资料里没有提到别的办法。可以致电政策办理咨询电话 ${phones} 问一问。\n${citation(knowledge, knowledge.contacts.policyHotlines.source)}`)]
    },
  }
}
