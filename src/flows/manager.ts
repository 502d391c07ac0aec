import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { PlaceMatch, PlaceResolver } from '../policy/places.js'
import { districtChoices, looksLikeQuestion, managerAnswer } from './shared.js'

const ASKS_MANAGER = /客户经理|业务经理|经理|对接人|负责人|找谁|联系谁|找哪位|谁负责|线下领|线下办|当面/
const ASKS_CONTACT = /电话|联系|手机|号码|找谁|谁|负责|对接|线下/
const COLLECT = /领/
const FLOW = 'manager'
const VERSION = 1

/** Routes a firm to its district's account manager, from a district, an alias or a street; asks when no place is given. */
export function createManagerSkill({ knowledge, places }: { knowledge: Knowledge; places: PlaceResolver }): Skill {
  function answer(ctx: TurnContext, place: PlaceMatch) {
    delete ctx.session.flow
    const via = place.via === 'street' ? `${place.matched}属于${place.district}。` : ''
    return [text(`${via}${managerAnswer(knowledge, place.district, '线下领取保单、咨询统保业务都可以联系。')}`)]
  }

  function ask(ctx: TurnContext) {
    ctx.session.flow = { name: FLOW, v: VERSION, step: 'district', data: {}, startedAt: ctx.now }
    return [text(`请问贵司在深圳哪个区？回复区名或街道名，我告诉您对应的客户经理。\n可选：${districtChoices(knowledge)}`)]
  }

  /** Everyone at once, for "线下领取联系谁" without a place; the user can still name the district. */
  function all(ctx: TurnContext) {
    ctx.session.flow = { name: FLOW, v: VERSION, step: 'district', data: {}, startedAt: ctx.now }
    const lines = knowledge.managers.groups.map((g) => `${g.districts.join('、')}：${g.managers.map((m) => `${m.name} ${m.phones.join(' / ')}`).join('；')}`)
    const offline = `线下领取保单、咨询统保业务，请联系所在区的客户经理：\n${lines.join('\n')}\n回复贵司所在的区或街道，我只列您那个区的。\n${citation(knowledge, knowledge.managers.source)}`
    if (!COLLECT.test(ctx.norm) || /线下/.test(ctx.norm)) return [text(offline)]
    const c = knowledge.contacts
    const online = `统保保单直接向${c.insurer.name}领取，线上、线下任选其一。\n线上：登录单一窗口 ${c.singleWindowUrl.url} ，进入出口信用模块按流程领取；咨询电话 ${c.singleWindowSupport.phones.join('、')}。\n${citation(knowledge, knowledge.rules.eligibility.source)}\n${citation(knowledge, c.singleWindowUrl.source)}`
    return [text(`${online}\n\n${offline}`)]
  }

  return {
    key: 'manager',
    menuLabel: '查找所在区的客户经理',
    flowVersion: VERSION,
    detect(ctx) {
      // "线上还是线下" is a question about the two ways, not a request for a manager.
      if (/(线上|网上).*线下|线下.*(线上|网上)/.test(ctx.norm) && /还是|选|两个|都要|哪种|哪个|区别/.test(ctx.norm)) return false
      if (ASKS_MANAGER.test(ctx.norm)) return true
      const place = places.resolve(ctx.norm)
      // A bare place name ("宝安", "沙井街道") or a place with a contact question.
      return !!place && (ASKS_CONTACT.test(ctx.norm) || ctx.norm.replace(/[\s。.!！]/g, '').length <= place.matched.length + 3)
    },
    start: ask,
    handle: function routeToManager(ctx) {
      const place = places.resolve(ctx.norm)
      if (place) return answer(ctx, place)
      const known = ctx.session.profile.district
      if (known) return [text(managerAnswer(knowledge, known, `（按您之前说的${known}查询；换区请直接告诉我区名。）`))]
      return all(ctx)
    },
    resume(ctx) {
      const place = places.resolve(ctx.norm)
      if (place) return answer(ctx, place)
      if (looksLikeQuestion(ctx.norm) || ctx.norm.length > 12) {
        delete ctx.session.flow
        return undefined
      }
      return [text(`没认出“${ctx.text}”是深圳哪个区或街道。请回复区名，例如“宝安区”或“南山”。\n可选：${districtChoices(knowledge)}`)]
    },
  }
}
