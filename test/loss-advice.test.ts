import { describe, expect, it } from 'vitest'
import { createEngine } from '../src/engine/engine.js'
import { text } from '../src/engine/types.js'
import { createCoverageSkill } from '../src/flows/coverage.js'
import { createFactsObserver } from '../src/flows/facts.js'
import { createLossAdviceSkill } from '../src/flows/loss-advice.js'
import { createPlaceResolver } from '../src/policy/places.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { createReader } from '../src/understand/reading.js'
import { chat, realKnowledge, silentLogger, testBot } from './helpers/bot.js'

const { knowledge } = realKnowledge()

/** The loss-advice skill in front of the coverage check, as the bot routes them; anything else is "QA". */
function adviceBot() {
  const places = createPlaceResolver(knowledge.streets, knowledge.managers.groups.flatMap((g) => g.districts))
  const store = createMemoryStore({ sessionTtlSeconds: 3600 })
  const engine = createEngine({
    store,
    skills: [createLossAdviceSkill({ knowledge }), createCoverageSkill({ knowledge, reportHint: '请第一时间报案：回复“报损”。' })],
    otherwise: { key: 'qa', detect: () => false, handle: () => [text('QA')] },
    logger: silentLogger,
    reader: createReader({ wording: knowledge.wording, places }),
    observe: createFactsObserver({ knowledge, places }),
  })
  return { engine }
}

/** A chat with one user of the small bot: say() returns the joined reply text. */
function talk(bot: ReturnType<typeof adviceBot>) {
  const userId = `u-${Math.random().toString(36).slice(2)}`
  return {
    say: async (t: string) => (await bot.engine.handle({ channel: 'api', userId, text: t })).map((r) => r.text).join('\n'),
  }
}

const REPORT = '来源：《2020年出口额800万美元以下企业统保政策简介》二（五）企业利用保险单模式：逾期与风险报案'

describe('what to do after a loss', () => {
  const bot = adviceBot()

  it.each(['买家破产了怎么办', '客户走佬咗点算', '买家逾期不付款怎么办', '出险了第一步干嘛', '海外客户的货款逾期两个多月了还没收到，现在我该怎么做？'])(
    '%s: report at once, here, online or by the claims phone',
    async (q) => {
      const a = await talk(bot).say(q)
      expect(a).toContain('请第一时间向中国出口信用保险公司深圳分公司报案')
      expect(a).toContain('不必等到付款到期日')
      expect(a).toContain('也可以回复“报损”由我在线登记')
      expect(a).toContain('http://sz.singlewindow.cn/')
      expect(a).toContain('线上报损核赔')
      expect(a).toContain('理赔服务电话 88325700')
      expect(a).toContain(REPORT)
    },
  )

  it('says whether the described cause is a listed risk', async () => {
    expect(await talk(bot).say('买家破产了怎么办')).toContain('您说的情况属于列举的保障风险：买家破产、无力偿还债务（商业风险）')
    expect(await talk(bot).say('对方国家不让我们的货进口了，怎么办')).toContain('贸易管制（政治风险）')
    expect(await talk(bot).say('汇率损失怎么办')).toContain('“汇率损失”不在列举的保障风险种类内')
  })

  it('lists the covered risks when a loss is described without its cause', async () => {
    expect(await talk(bot).say('出险了第一步干嘛')).toContain('统保保障的风险：商业风险（')
  })

  it('tells a shipment outside the cover period apart, and still says to report', async () => {
    const a = await talk(bot).say('2020年3月发的货，买家不给钱，怎么处理')
    expect(a).toContain('请第一时间')
    expect(a).toContain('不过，2020年3月报关的出口不在承保期间（2021年1月至2022年6月）内')
  })

  it('does not settle a quality dispute and names the district’s manager when known', async () => {
    const c = talk(bot)
    const a = await c.say('我们在宝安，2021年5月出的货，客户说质量有问题不付款，怎么办')
    expect(a).toContain('政策简介没有说明这种情况能否赔付')
    expect(a).toContain('宝安区的客户经理：吕宇翔 13699865957')
    const b = await talk(bot).say('我们延迟交货客户拒收了，怎么办')
    expect(b).toContain('请告诉我贵司在深圳哪个区')
  })

  it('answers in English', async () => {
    const a = await talk(bot).say('The buyer went bust. What should we do?')
    expect(a).toContain('Report it to 中国出口信用保险公司深圳分公司 at once')
    expect(a).toContain('even before the payment is due')
    expect(a).toContain('reply “报损”')
    expect(a).toContain('the claims hotline (理赔服务电话) 88325700')
    expect(a).toContain('The cause you describe is a listed risk: buyer bankruptcy or insolvency (commercial risk).')
    expect(a).not.toContain('请第一时间')
  })

  it('answers how and when to report, without a loss described', async () => {
    for (const q of ['怎么报案', '报案有时间要求吗', '应收账款逾期了，我们应该向谁报案', 'How do I report a loss?']) {
      expect(await talk(bot).say(q)).toContain(REPORT)
    }
  })

  it('leaves other questions alone', async () => {
    for (const q of ['保单怎么领取', '理赔电话多少', '信用证怎么做']) {
      expect(await talk(bot).say(q)).not.toContain(REPORT)
    }
  })

  it('follows up with the remembered loss: "如果是信用证呢", then "那能赔吗"', async () => {
    const c = talk(bot)
    await c.say('买家破产了怎么办')
    const a = await c.say('如果是信用证呢')
    expect(a).toContain('按您前面说的：买家破产、无力偿还债务。')
    expect(a).toContain('信用证结算时，开证行破产、停业、被接管，开证行拖欠、拒绝承兑也属于列举的商业风险')
    const b = await c.say('那能赔吗')
    expect(b).toContain('按您说的情况核对统保保障范围')
    expect(b).toContain('按您前面说的：买家破产、无力偿还债务')
  })
})

describe('what to do after a loss, in the bot', () => {
  const bot = testBot()

  it('answers "买家破产了怎么办" with what to do, and still starts the form on "我要报损"', async () => {
    expect(await chat(bot).say('买家破产了怎么办')).toContain('也可以回复“报损”由我在线登记')
    expect(await chat(bot).say('我要报损')).not.toContain(REPORT)
  })

  it('answers both parts of "买家破产了怎么办？能赔多少？"', async () => {
    const a = await chat(bot).say('买家破产了怎么办？能赔多少？')
    expect(a).toContain('请第一时间')
    expect(a).toContain('80%')
  })
})
