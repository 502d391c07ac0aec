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
    expect(await c.say('我们的客户经理电话是多少')).toContain('按您前面说的龙华区查询')
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

describe('managers for English, Cantonese and unplaceable questions', () => {
  it.each([
    ["Who is the account manager for Bao'an?", '吕宇翔', "Bao'an District"],
    ['Which manager handles companies in Nanshan?', '金悠', 'Nanshan District'],
    ['We are in Shajing, who should we contact?', '吕宇翔', 'Shajing is in'],
    ['account manager for Qianhai', '钟旭阳', 'Qianhai'],
    ['contact person for Longgang district', '王清莹', 'Longgang District'],
  ])('%s', async (q, name, en) => {
    const a = await chat(bot).say(q)
    expect(a).toContain(name)
    expect(a).toContain(en)
    expect(a).toMatch(/来源：.*线下领取保单/)
  })

  it('follows an English question with English', async () => {
    const c = chat(bot)
    await c.say('Who is the account manager for Futian?')
    const a = await c.say('what about Luohu?')
    expect(a).toContain('林石洁')
    expect(a).toContain('Luohu District')
  })

  it('understands Cantonese', async () => {
    expect(await chat(bot).say('我哋喺寶安，揾邊個')).toContain('吕宇翔')
  })

  it('asks for the district when the place is a landmark, instead of listing every manager', async () => {
    const a = await chat(bot).say('我们公司在世界之窗地铁站附近，客户经理是谁')
    expect(a).toContain('哪个区')
    expect(a).not.toContain('18813671303')
    expect(a).not.toContain('13652439164')
    const en = await chat(bot).say('Our office is near Window of the World metro station, who is our account manager?')
    expect(en).toContain('Which district')
    expect(en).not.toContain('18813671303')
  })
})
