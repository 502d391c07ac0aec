import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { formatUsdWan } from '../policy/amount.js'

// Where a firm may say it is, other than Shenzhen (深汕 is Shenzhen's own zone, so 汕尾 is left out).
const CITIES = '东莞|广州|惠州|佛山|珠海|中山|江门|汕头|湛江|肇庆|清远|河源|上海|北京|杭州|宁波|温州|义乌|苏州|无锡|南京|厦门|福州|泉州|青岛|天津|重庆|成都|武汉|长沙|郑州|西安|合肥|香港|澳门|台湾|境外|海外|外地|外省|内地其他城市'
const CITIES_EN = 'dongguan|guangzhou|huizhou|foshan|zhuhai|zhongshan|jiangmen|shantou|shanghai|beijing|hangzhou|ningbo|yiwu|suzhou|nanjing|xiamen|qingdao|tianjin|chongqing|chengdu|wuhan|hong kong|hongkong|macau|macao|taiwan'
const FIRM_THERE = new RegExp(
  `(我们|我司|我们公司|本公司|公司|企业|工厂|厂)(是|在|注册在|注册于|位于|设在|开在)(${CITIES})|(${CITIES})(注册)?的?(公司|企业|工厂|厂|出口企业)`,
)
const FIRM_THERE_EN = new RegExp(
  `(?:we are|we're|our (?:company|firm|factory) is|(?:company|firm) (?:is )?(?:based|registered|located)|registered|based|located) in (?<at>${CITIES_EN})|(?<of>${CITIES_EN}) (?:company|firm|factory|exporter)`,
)
const ASKS_JOIN = /参加|参与|加入|能不能|可不可以|可以|能否|领|资格|符合|适用|统保|有份|赔|理赔|报损|报案|保障|怎么办|claim|eligible|join|qualify|apply|covered|scheme|policy/
// "通过香港公司报关", "香港公司签的合同": the contract party of one shipment, a coverage question, not where the firm is.
const SHIPMENT_CONTEXT = /报关|签约|签合同|签的合同|合同|名义|出运|出货|发货|关联公司|抬头|declared|contract|signed/

/** "我们是东莞的公司，能参加吗": the scheme is for Shenzhen firms; say so first, never "符合统保条件". */
export function createOutsideShenzhenSkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const { year, maxExportsUsd } = knowledge.rules.eligibility
  const c = knowledge.contacts
  const phones = c.policyHotlines.phones.join('、')
  const sources = [citation(knowledge, knowledge.rules.eligibility.source), citation(knowledge, c.listPublisher.source), citation(knowledge, c.policyHotlines.source)].join('\n')

  function where(ctx: TurnContext): string | undefined {
    const m = FIRM_THERE.exec(ctx.norm)
    if (m) return m[3] ?? m[4]
    const e = FIRM_THERE_EN.exec(ctx.norm)
    return e?.groups?.at ?? e?.groups?.of
  }

  return {
    key: 'outside-shenzhen',
    // "我们是东莞的公司。2020年出口300万。能参加吗？" is one question about where the firm is.
    exclusive: true,
    detect: (ctx) => !/深汕|深圳/.test(ctx.norm.replace(/深圳市?商务局/g, '')) && !SHIPMENT_CONTEXT.test(ctx.norm) && ASKS_JOIN.test(ctx.norm) && where(ctx) !== undefined,
    handle: function explainShenzhenOnly(ctx) {
      const place = where(ctx)!
      if (ctx.lang === 'en') {
        const en = place.replace(/\b\w/g, (ch) => ch.toUpperCase())
        return [
          text(
            `The blanket policy (统保) is a Shenzhen scheme: it covers Shenzhen firms whose ${year} exports were USD ${(maxExportsUsd / 1e6).toLocaleString('en-US')} million or less, on the list published by ${c.listPublisher.name} (Shenzhen Commerce Bureau). A company in ${en} is not covered by it; the brief says nothing about schemes in other cities.\nIf your group also has a company registered in Shenzhen, that company's ${year} exports decide. Policy consultation phone: ${phones}.\n${sources}`,
          ),
        ]
      }
      return [
        text(
          `统保是深圳市的政策：由${c.listPublisher.name}公示深圳市${year}年出口额${formatUsdWan(maxExportsUsd)}（含）以下企业名单，名单内的企业向${c.insurer.name}领取保单。注册在${place}的企业不在这次深圳统保的范围内；其他地方有没有类似政策，统保资料没有涉及。\n如果贵司在深圳另有注册的企业，按那家深圳企业${year}年的出口额判断，以公示名单为准。政策办理咨询电话：${phones}。\n${sources}`,
        ),
      ]
    },
  }
}
