import { describe, expect, it } from 'vitest'
import type { LossReport } from '../src/store/types.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, testBot } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'

function setup(now?: () => number) {
  const store = createMemoryStore({ sessionTtlSeconds: 30 * 24 * 3600, now })
  const notified: LossReport[] = []
  const bot = testBot({ store, now })
  return { store, bot, notified }
}

describe('guided loss report (报损)', () => {
  it('walks a complete report to a stored, numbered report and gives the status to its owner', async () => {
    const { bot, store } = setup()
    const c = chat(bot, 'owner-1')
    let last = ''
    for (const [answer, expected] of FULL_REPORT) {
      last = await c.say(answer)
      expect(last, `after “${answer}”`).toContain(expected)
    }
    // The summary comes after 16 answers; with "确认" a report takes 17, under the 20 promised.
    expect(FULL_REPORT).toHaveLength(16)
    expect(last).toContain('企业名称：深圳市示例电子科技有限公司')
    expect(last).toContain('买方所在国家或地区：德国')
    expect(last).toContain('损失原因：拖欠货款（商业风险）')
    expect(last).toContain('预计赔付：125,000美元 × 80% = 100,000美元')
    expect(last).not.toContain('需要提醒')
    const done = await c.say('确认')
    const id = /BS\d{8}-\d{4}/.exec(done)?.[0]
    expect(id).toBeDefined()
    expect(done).toContain('88325700')
    expect(done).toContain('吕宇翔')
    const stored = await store.reports.get(id!)
    expect(stored).toMatchObject({ userId: 'api:owner-1', district: '宝安区', status: 'received', flags: [] })
    expect(stored!.fields).toMatchObject({ company: '深圳市示例电子科技有限公司', phone: '13812345678', amount: { value: 125000, currency: 'USD' } })

    expect(await c.say(`查询报案进度 ${id}`)).toContain('已受理')
    expect(await c.say('我的报案')).toContain(id!)
  })

  it('numbers reports by day with a running sequence', async () => {
    const { bot } = setup()
    const ids: string[] = []
    for (const user of ['seq-a', 'seq-b']) {
      const c = chat(bot, user)
      for (const [answer] of FULL_REPORT) await c.say(answer)
      ids.push(/BS\d{8}-\d{4}/.exec(await c.say('确认'))![0])
    }
    expect(ids[0]!.slice(0, 11)).toBe(ids[1]!.slice(0, 11))
    expect(Number(ids[1]!.slice(-4))).toBe(Number(ids[0]!.slice(-4)) + 1)
  })

  it('refuses the status of a report to anyone but its owner', async () => {
    const { bot } = setup()
    const owner = chat(bot, 'owner-2')
    for (const [answer] of FULL_REPORT) await owner.say(answer)
    const id = /BS\d{8}-\d{4}/.exec(await owner.say('确认'))![0]
    const stranger = await chat(bot, 'stranger').say(`查询报案 ${id}`)
    expect(stranger).toContain(`没有找到您提交的报案 ${id}`)
    expect(stranger).not.toContain('宝安区')
    expect(await chat(bot, 'stranger').say('我的报案')).toContain('还没有')
  })

  it('keeps channels apart: the same id on /api/chat is not the WeChat user who filed the report', async () => {
    const { bot } = setup()
    const say = async (text: string) => (await bot.engine.handle({ channel: 'wechat', userId: 'o-openid-1', text })).map((r) => r.text).join('\n')
    for (const [answer] of FULL_REPORT) await say(answer)
    const id = /BS\d{8}-\d{4}/.exec(await say('确认'))![0]
    expect(await say('我的报案')).toContain(id)
    const impostor = chat(bot, 'o-openid-1')
    expect(await impostor.say(`查询报案 ${id}`)).toContain('没有找到')
    expect(await impostor.say('我的报案')).not.toContain(id)
  })

  it('takes several facts from one message and only asks for the rest', async () => {
    const { bot } = setup()
    const c = chat(bot)
    const a = await c.say('德国的Gamma公司欠我们12.5万美元，2021年9月出的货，我要报损')
    expect(a).toContain('已记下：')
    expect(a).toContain('买方所在国家或地区')
    expect(a).toContain('未付金额')
    expect(a).toContain('报关出口时间')
    expect(a).toContain('企业全称')
    const answers = ['深圳市示例电子科技有限公司', '91440300MA5EXAMP1F', '南山', '李四', '0755-88888888', 'PB123456', '不是', '是', '2021年12月', '无']
    let last = ''
    for (const x of answers) last = await c.say(x)
    expect(last).toContain('请核对报损信息')
    expect(last).toContain('买方名称：Gamma')
    expect(last).toContain('联系电话：0755-88888888')
    expect(last).toContain('保单号：PB123456')
    expect(last).toContain('所在区：南山区')
  })

  it('re-prompts a wrong answer specifically and keeps what was given', async () => {
    const { bot } = setup()
    const c = chat(bot)
    await c.say('我要报案')
    await c.say('深圳市示例电子科技有限公司')
    expect(await c.say('91440300MA5EXAMP1X')).toContain('校验不通过')
    expect(await c.say('1234')).toContain('应为18位')
    expect(await c.say('91440300MA5EXAMP1F')).toContain('哪个区')
    expect(await c.say('火星')).toContain('没认出是哪个区')
    await c.say('福田')
    expect(await c.say('张三123')).toContain('联系人姓名')
    await c.say('张三')
    expect(await c.say('12345')).toContain('电话格式不对')
    expect(await c.say('13912345678')).toContain('保单号')
    const summaryOnceDone = await c.say('上一步')
    expect(summaryOnceDone).toContain('手机或座机')
  })

  it('points out facts outside the cover kindly, records them as flags, and still takes the report', async () => {
    const { bot, store } = setup()
    const c = chat(bot, 'flagged')
    const answers = ['我要报损', '深圳市示例电子科技有限公司', '91440300MA5EXAMP1F', '宝安', '张三', '13812345678', '没有', 'Gamma GmbH', '德国', '不是']
    for (const x of answers) await c.say(x)
    expect(await c.say('产品质量纠纷')).toContain('不在列举的保障风险种类内')
    const declared = await c.say('2020年5月')
    expect(declared).toContain('提示：2020年5月报关的出口不在承保期间')
    expect(declared).toContain('报案照常受理')
    expect(await c.say('不是，是通过香港公司签的')).toContain('提示：合同不是由贵司签订')
    await c.say('5万美元')
    expect(await c.say('2020年3月')).toContain('付款到期日（2020年3月）早于出运时间（2020年5月）')
    const summary = await c.say('无')
    expect(summary).toContain('需要提醒')
    const id = /BS\d{8}-\d{4}/.exec(await c.say('确认'))![0]
    const r = await store.reports.get(id)
    expect(r!.flags).toHaveLength(4)
  })

  it('accepts corrections by name, and "上一步"', async () => {
    const { bot } = setup()
    const c = chat(bot)
    for (const [answer] of FULL_REPORT) await c.say(answer)
    const fixed = await c.say('金额改成13万美元')
    expect(fixed).toContain('已更正未付金额：130,000美元')
    expect(fixed).toContain('请核对报损信息')
    expect(fixed).toContain('130,000美元 × 80% = 104,000美元')
    const phone = await c.say('电话改成12')
    expect(phone).toContain('电话格式不对')
    const phone2 = await c.say('电话改成13900001111')
    expect(phone2).toContain('联系电话：13900001111')
    const lc = await c.say('信用证改成是')
    expect(lc).toContain('开证行是哪家银行')
    const back = await c.say('Deutsche Bank')
    expect(back).toContain('开证行：Deutsche Bank')
    expect(await c.say('修改联系人')).toContain('请重新填写联系人')
    const again = await c.say('李四')
    expect(again).toContain('请核对报损信息')
    expect(again).toContain('联系人：李四')
  })

  it('cancels on "取消" and forgets the draft', async () => {
    const { bot } = setup()
    const c = chat(bot)
    await c.say('我要报损')
    await c.say('深圳市示例电子科技有限公司')
    expect(await c.say('取消')).toContain('已取消')
    expect(await c.say('深圳市示例电子科技有限公司')).not.toContain('统一社会信用代码')
  })

  it('answers a policy question mid-form and keeps the form', async () => {
    const { bot } = setup()
    const c = chat(bot)
    await c.say('我要报损')
    await c.say('深圳市示例电子科技有限公司')
    const q = await c.say('赔付比例是多少？')
    expect(q).toContain('80%')
    expect(q).toContain('您的报损还没填完')
    const q2 = await c.say('南山区的客户经理是谁')
    expect(q2).toContain('金悠')
    expect(q2).toContain('您的报损还没填完')
    expect(await c.say('继续')).toContain('统一社会信用代码')
    expect(await c.say('91440300MA5EXAMP1F')).toContain('哪个区')
  })

  it('asks whether to continue a draft left for days, then picks up where it stopped', async () => {
    let t = Date.parse('2026-11-20T02:00:00Z')
    const { bot } = setup(() => t)
    const c = chat(bot)
    await c.say('我要报损')
    await c.say('深圳市示例电子科技有限公司')
    t += 3 * 24 * 3600_000
    expect(await c.say('你好')).toContain('您有一份未完成的报损（已填1项），继续吗')
    expect(await c.say('继续')).toContain('统一社会信用代码')
  })

  it('restarts politely a draft stored by an incompatible older version', async () => {
    const { bot, store } = setup()
    await store.sessions.save({
      v: 1,
      userId: 'api:old',
      createdAt: 0,
      updatedAt: Date.now(),
      profile: {},
      flow: { name: 'claim', v: 0, step: 'company', data: { weird: true }, startedAt: 0 },
    })
    const a = await chat(bot, 'old').say('深圳市示例电子科技有限公司')
    expect(a).toContain('系统已升级')
  })

  it('can be started from the menu and offered after a payout answer', async () => {
    const { bot } = setup()
    const c = chat(bot)
    const menu = await c.say('菜单')
    const n = /(\d)\. 在线报损/.exec(menu)![1]!
    expect(await c.say(n)).toContain('企业全称')
    expect(await chat(bot).say('买家欠了10万美元能赔多少')).toContain('回复“报损”')
  })
})
