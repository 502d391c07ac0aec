import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()
const managers = JSON.parse(readFileSync('knowledge/managers.json', 'utf8')) as {
  groups: Array<{ districts: string[]; managers: Array<{ name: string; phones: string[] }> }>
}

describe('routing to the account manager', () => {
  for (const group of managers.groups) {
    for (const district of group.districts) {
      it(`${district} → ${group.managers.map((m) => m.name).join('、')}`, async () => {
        const a = await chat(bot).say(`${district}的客户经理是谁`)
        for (const m of group.managers) {
          expect(a).toContain(m.name)
          for (const p of m.phones) expect(a).toContain(p)
        }
        expect(a).toMatch(/来源：.*线下领取保单/)
      })
    }
  }

  it.each([
    ['前海的客户经理', '金悠'],
    ['深汕合作区找谁', '林石洁'],
    ['大鹏那边客户经理电话', '王清莹'],
    ['宝安', '吕宇翔'],
    ['沙头角的客户经理是谁', '王清莹'],
    ['我们在沙头街道，找哪位', '金悠'],
    ['公司在华强北，线下找谁领', '金悠'],
    ['观澜', '林石洁'],
    ['鲘门镇的企业找谁', '林石洁'],
    ['坂田街道客户经理', '王清莹'],
    ['蛇口', '金悠'],
  ])('%s → %s', async (q, name) => {
    expect(await chat(bot).say(q)).toContain(name)
  })

  it('says which district a street belongs to', async () => {
    expect(await chat(bot).say('沙井街道')).toContain('沙井街道属于宝安区')
  })

  it('lists every district when no place is given, then answers the district and remembers it', async () => {
    const c = chat(bot)
    const a = await c.say('线下领取联系谁')
    expect(a).toContain('龙华区、罗湖区、光明区、深汕特别合作区：林石洁 13652439164')
    const b = await c.say('龙华')
    expect(b).toContain('龙华区的客户经理：林石洁 13652439164')
    expect(await c.say('我们的客户经理电话是多少')).toContain('按您之前说的龙华区查询')
  })

  it('re-asks when the answer is not a place', async () => {
    const c = chat(bot)
    await c.say('客户经理是谁')
    expect(await c.say('火星')).toContain('没认出“火星”')
  })

  it('gives the claims hotline for a claims question', async () => {
    const a = await chat(bot).say('理赔打哪个电话')
    expect(a).toContain('88325700')
    expect(a).toMatch(/来源：.*保险期限/)
  })
})
