import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { normalize } from '../text/normalize.js'
import type { PlaceMatch, PlaceResolver } from '../policy/places.js'
import { districtChoices, managerAnswer, managersOf } from './shared.js'

const ASKS_MANAGER = /客户经理|业务经理|经理|对接人|负责人|找谁|联系谁|找哪位|谁负责|线下领|线下办|当面|account manager|relationship manager|\bmanagers?\b|contact person|person in charge|who (should|do|can|shall) (we|i) (contact|call|talk to|see)|who to (contact|call)|who (handles|is responsible|looks after)/
const ASKS_CONTACT = /电话|联系|手机|号码|找谁|谁|负责|对接|线下|phone|number|contact|call|who/
const COLLECT = /领/
const CLAIMS = /理赔|索赔|报案|报损|出险|claims?\b/
// Somewhere we cannot place on the district map: a landmark, a metro station, a building, a road.
const LANDMARK = /地铁站|地铁|车站|高铁站|附近|旁边|大厦|广场|科技园|产业园|工业园|工业区|园区|大道|公路|[\p{Script=Han}]{1,6}路|花园|商城|商场|机场|口岸|metro|subway|station|\bnear\b|building|plaza|\bpark\b|tower|\broad\b|avenue|airport/u
// "我要领保单", "想领取保单": a request to collect the policy, said as a statement.
const WANTS_COLLECT = /(我|我们|我司|想|要|需要|准备|打算).{0,4}领(取)?(统保)?保单|(怎么|如何|去哪|在哪|哪里)领(取)?(统保)?保单/
// "那另一位呢", "另外那个经理的电话", "the other one": the manager of the same districts not named last.
const OTHER_ONE = /另一位|另一个|另外一位|另外那位|另外一个|另外那个|另外的那位|other one|the other/
const FLOW = 'manager'
const VERSION = 1

/** Routes a firm to its district's account manager, from a district, an alias, a street or pinyin; asks when unsure. */
export function createManagerSkill({ knowledge, places }: { knowledge: Knowledge; places: PlaceResolver }): Skill {
  const source = citation(knowledge, knowledge.managers.source)
  const people = knowledge.managers.groups.flatMap((g) => g.managers.map((m) => ({ ...m, districts: g.districts })))
  type Person = (typeof people)[number]
  const named = (norm: string) => people.filter((p) => norm.includes(p.name.toLowerCase()))

  /** "金悠的电话多少": the named managers, their phones and districts; remembered for "那另一位呢". */
  function persons(ctx: TurnContext, list: Person[], lead = '') {
    ctx.session.profile.people = list.map((p) => p.name)
    const en = ctx.lang === 'en'
    const lines = list.map((p) =>
      en ? `${p.name}: ${p.phones.join(' / ')} (account manager for ${p.districts.map((d) => places.english(d)).join(', ')})` : `${p.name}：${p.phones.join(' / ')}（负责${p.districts.join('、')}）`,
    )
    return [text([lead, ...lines, source].filter(Boolean).join('\n'))]
  }

  /** The managers of the same districts as the ones named last, other than those. */
  function others(ctx: TurnContext) {
    const last = ctx.session.profile.people ?? []
    const groups = knowledge.managers.groups.filter((g) => g.managers.some((m) => last.includes(m.name)))
    const rest = people.filter((p) => !last.includes(p.name) && groups.some((g) => g.districts.includes(p.districts[0]!)))
    if (rest.length) return persons(ctx, rest)
    const en = ctx.lang === 'en'
    if (last.length > 1) return [text(en ? `${last.join(' and ')} are all the account managers for those districts.\n${source}` : `这几个区的客户经理就是${last.join('、')}，没有别的了。\n${source}`)]
    return [text(en ? `${last[0]} is the only account manager for those districts.\n${source}` : `${last[0]}负责的区只有这一位客户经理。\n${source}`)]
  }

  /** "Account manager for Bao'an District (宝安区): 吕宇翔, 13699865957" */
  function english(district: string, lead = ''): string {
    const group = knowledge.managers.groups.find((g) => g.districts.includes(district))
    const people = group?.managers.map((m) => `${m.name}, ${m.phones.join(' / ')}`).join('; ') ?? '(not listed in the brief)'
    return `${lead}Account manager for ${places.english(district)} (${district}): ${people}\nYou can contact them to collect the policy offline or for questions about the scheme.\n${source}`
  }

  function answer(ctx: TurnContext, place: PlaceMatch) {
    delete ctx.session.flow
    ctx.session.profile.district = place.district
    // "那另一位呢" after a district answer: the managers it named.
    ctx.session.profile.people = people.filter((p) => p.districts.includes(place.district)).map((p) => p.name)
    if (ctx.lang === 'en') return [text(english(place.district, place.via === 'street' ? `${place.matched.replace(/\b[a-z]/g, (ch) => ch.toUpperCase())} is in ${places.english(place.district)}.\n` : ''))]
    const via = place.via === 'street' ? `${place.matched}属于${place.district}。\n` : ''
    return [text(`${via}${managerAnswer(knowledge, place.district, '线下领取保单、咨询统保业务都可以联系。')}`)]
  }

  function ask(ctx: TurnContext, unknownPlace = false) {
    ctx.session.flow = { name: FLOW, v: VERSION, step: 'district', data: {}, startedAt: ctx.now }
    if (ctx.lang === 'en') {
      const names = places.districts.map((d) => places.english(d)).join(', ')
      return [text(`${unknownPlace ? "I can't tell which district that is. " : ''}Which district of Shenzhen is your company in? Reply with the district or street name and I'll give you the account manager.\nDistricts: ${names}`)]
    }
    const lead = unknownPlace ? '从您说的地点还判断不出是哪个区。' : ''
    return [text(`${lead}请问贵司在深圳哪个区？回复区名或街道名，我告诉您对应的客户经理。\n可选：${districtChoices(knowledge)}`)]
  }

  /** Everyone at once, for "线下领取联系谁" without a place; the user can still name the district. */
  function all(ctx: TurnContext) {
    if (ctx.lang === 'en') return ask(ctx)
    ctx.session.flow = { name: FLOW, v: VERSION, step: 'district', data: {}, startedAt: ctx.now }
    const lines = knowledge.managers.groups.map((g) => `${g.districts.join('、')}：${g.managers.map((m) => `${m.name} ${m.phones.join(' / ')}`).join('；')}`)
    const offline = `线下领取保单、咨询统保业务，请联系所在区的客户经理：\n${lines.join('\n')}\n回复贵司所在的区或街道，我只列您那个区的。\n${source}`
    if (!COLLECT.test(ctx.norm) || /线下/.test(ctx.norm)) return [text(offline)]
    const c = knowledge.contacts
    const online = `统保保单直接向${c.insurer.name}领取，线上、线下任选其一。\n线上：登录单一窗口 ${c.singleWindowUrl.url} ，进入出口信用模块按流程领取；咨询电话 ${c.singleWindowSupport.phones.join('、')}。\n${citation(knowledge, knowledge.rules.eligibility.source)}\n${citation(knowledge, c.singleWindowUrl.source)}`
    return [text(`${online}\n\n${offline}`)]
  }

  /** The district told earlier in the conversation, said so. */
  function remembered(ctx: TurnContext, district: string) {
    if (ctx.lang === 'en') return [text(english(district, `Based on the district you mentioned (${places.english(district)}):\n`))]
    return [text(managerAnswer(knowledge, district, `（按您前面说的${district}查询；换区请直接告诉我区名。）`))]
  }

  return {
    key: 'manager',
    menuLabel: '查找所在区的客户经理',
    flowVersion: VERSION,
    detect(ctx) {
      if (named(ctx.norm).length) return true
      if (WANTS_COLLECT.test(ctx.norm) && !ctx.reading.asks) return true
      // "线上还是线下" is a question about the two ways, not a request for a manager.
      if (/(线上|网上).*线下|线下.*(线上|网上)/.test(ctx.norm) && /还是|选|两个|都要|哪种|哪个|区别/.test(ctx.norm)) return false
      const place = places.resolve(ctx.norm)
      // "理赔找谁" is the claims line, not the district's manager, unless a place is named.
      if (!place && CLAIMS.test(ctx.norm)) return false
      if (ASKS_MANAGER.test(ctx.norm)) return true
      // "我们公司在观澜": a statement of where the firm is, alone, is answered with its manager.
      if (place && ctx.reading.act === 'statement' && !ctx.reading.money.length && !ctx.reading.months.length) return true
      // A bare place name ("宝安", "沙井街道", "那南山呢") or a place with a contact question.
      const bare = ctx.norm.replace(/^(那|那么|and|what about|how about)\s*|[\s。.!！?？呢]/g, '')
      return !!place && (ASKS_CONTACT.test(ctx.norm) || bare.length <= place.matched.replace(/\s/g, '').length + 3)
    },
    // Right after a manager answer, "电话多少" or "那南山呢" is about the manager.
    followUp: (ctx) => !!places.resolve(ctx.norm) || ASKS_CONTACT.test(ctx.norm) || (OTHER_ONE.test(ctx.norm) && !!ctx.session.profile.people?.length),
    start: (ctx) => ask(ctx),
    handle: function routeToManager(ctx) {
      const who = named(ctx.norm)
      if (who.length) return persons(ctx, who)
      if (OTHER_ONE.test(ctx.norm) && ctx.session.profile.people?.length) return others(ctx)
      const place = places.resolve(ctx.norm)
      if (place) return answer(ctx, place)
      const landmark = LANDMARK.exec(ctx.norm)
      if (landmark) return ask(ctx, true)
      // Named in another clause of this same message ("我们在福永，…？找谁办？"): not something said before.
      const inMessage = places.resolve(normalize(ctx.message.text))
      if (inMessage) return answer(ctx, inMessage)
      const known = ctx.session.profile.district
      if (known && managersOf(knowledge, known)) return remembered(ctx, known)
      return all(ctx)
    },
    resume(ctx) {
      const place = places.resolve(ctx.norm)
      if (place) return answer(ctx, place)
      if (ctx.reading.asks || ctx.norm.length > 12) {
        delete ctx.session.flow
        return undefined
      }
      if (ctx.lang === 'en') return ask(ctx, true)
      return [text(`没认出“${ctx.text}”是深圳哪个区或街道。请回复区名，例如“宝安区”或“南山”。\n可选：${districtChoices(knowledge)}`)]
    },
  }
}
