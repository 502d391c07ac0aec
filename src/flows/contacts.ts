import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { Contacts } from '../knowledge/schema.js'
import { managerAnswer, managersOf } from './shared.js'

const ASKS_PHONE = /电话|热线|号码|联系方式|怎么联系|联系谁|客服|打给谁|人工|phone|hotline|telephone|contact number|number to call|call whom|who (do|should) (i|we) call/
const CLAIMS = /理赔|索赔|报案|报损|出险|赔|claim|loss|compensation/
const SINGLE_WINDOW = /单一窗口|线上|网上|在线|技术支持|系统|平台|网站|single window|online|website/
// After these answers a bare "电话多少" means the claims line.
const LOSS_TOPICS = new Set(['payout', 'coverage', 'claim', 'claim-status', 'loss-advice'])
const PLACE_TOPICS = new Set(['manager', 'eligibility'])

type Line = Contacts['policyHotlines']

const EN_LABELS: Record<string, string> = {
  policyHotlines: 'Policy consultation',
  singleWindowSupport: 'Single Window online support',
  claimsHotline: 'Claims service',
}

/** "电话多少": the hotlines from contacts.json, picked by what the question (or the last answer) is about. */
export function createContactsSkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const c = knowledge.contacts
  const lines = { policyHotlines: c.policyHotlines, singleWindowSupport: c.singleWindowSupport, claimsHotline: c.claimsHotline }
  type Key = keyof typeof lines

  function show(ctx: TurnContext, keys: Key[], note?: string): string {
    return keys
      .map((key) => {
        const l: Line = lines[key]
        const label = ctx.lang === 'en' ? `${EN_LABELS[key]} phone` : l.label
        return [`${label}：${l.phones.join('、')}`, note, citation(knowledge, l.source)].filter(Boolean).join('\n')
      })
      .join('\n\n')
  }

  function about(ctx: TurnContext): 'claims' | 'online' | 'manager' | 'all' {
    if (CLAIMS.test(ctx.norm)) return 'claims'
    if (SINGLE_WINDOW.test(ctx.norm)) return 'online'
    // "这个电话多少" right after an answer: the line given in the section that answer came from.
    if (ctx.reading.refers) {
      const last = ctx.session.lastSectionIds ?? []
      if (last.includes(lines.claimsHotline.source)) return 'claims'
      if (last.includes(lines.singleWindowSupport.source)) return 'online'
    }
    const { topic, district } = ctx.session.profile
    if (topic && LOSS_TOPICS.has(topic)) return 'claims'
    if (topic && PLACE_TOPICS.has(topic) && district && managersOf(knowledge, district)) return 'manager'
    return 'all'
  }

  return {
    key: 'contacts',
    detect: (ctx) => ASKS_PHONE.test(ctx.norm),
    handle: function answerContacts(ctx) {
      const en = ctx.lang === 'en'
      switch (about(ctx)) {
        case 'claims':
          return [text(show(ctx, ['claimsHotline'], en ? 'Or reply "报损" and I will take the loss report here (in Chinese).' : '也可以回复“报损”，由我在线登记。'))]
        case 'online':
          return [text(show(ctx, ['singleWindowSupport']))]
        case 'manager': {
          const district = ctx.session.profile.district!
          const manager = en
            ? `Your account manager (${district}, as you mentioned): ${managersOf(knowledge, district)}\n${citation(knowledge, knowledge.managers.source)}`
            : managerAnswer(knowledge, district, `（按您前面说的${district}；政策办理咨询电话见下。）`)
          return [text(`${manager}\n\n${show(ctx, ['policyHotlines'])}`)]
        }
        default:
          return [
            text(`${show(ctx, ['policyHotlines', 'singleWindowSupport', 'claimsHotline'])}\n\n${en ? 'For your account manager, tell me which district your company is in.' : '各区客户经理的电话，请告诉我您公司所在的区。'}`),
          ]
      }
    },
  }
}
