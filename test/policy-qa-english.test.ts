import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()
const SOURCE = /来源：《2020年出口额800万美元以下企业统保政策简介》/

describe('policy questions in English', () => {
  it('opens with an English sentence carrying the key fact, then the Chinese text and its source', async () => {
    const a = await chat(bot).say('How long does the blanket policy last?')
    const [lead, excerpt] = a.split('\n')
    expect(lead).toContain('1.5 years')
    expect(lead).toMatch(/January 2021 to June 2022/)
    expect(excerpt).toContain('统保政策保险期限为1.5年')
    expect(a).toMatch(SOURCE)
  })

  it('lists the whole service package in English', async () => {
    const a = await chat(bot).say('What free services come with the policy?')
    expect(a).toContain('3 overseas buyer credit reports')
    expect(a).toContain('“信步天下” app')
    expect(a).toContain('four online services')
  })

  it('tells when to report, in English, with the Chinese excerpt', async () => {
    const a = await chat(bot).say('Our buyer might go bankrupt but payment is not due yet. Should we notify the insurer now?')
    expect(a).toMatch(/even before (the )?payment is due/)
    expect(a).toMatch(SOURCE)
  })

  it('keeps people’s names in Chinese', async () => {
    const a = await chat(bot).say('Where do we collect the policy?')
    expect(a).toContain('http://sz.singlewindow.cn/')
    expect(a).toContain('吕宇翔 13699865957')
  })

  it('abstains in English, names the topic and gives the consultation phones', async () => {
    const a = await chat(bot).say('Can we use the policy to get a bank loan?')
    expect(a).toContain('I could not find this in the policy brief')
    expect(a).toContain('loans or financing against the policy')
    expect(a).toContain('88325713, 88325686, 27660192')
    expect(a).not.toContain('抱歉')
    expect(a).not.toMatch(/Case \d/)
  })

  it('does not call the policy free when asked about the premium in English', async () => {
    const a = await chat(bot).say('Is the policy free for us?')
    expect(a).toContain('I could not find this in the policy brief')
    expect(a).toContain('says nothing about premiums or fees')
    expect(a).not.toContain('free of charge')
  })

  it('shows the full text with the English lead on "more details"', async () => {
    const c = chat(bot)
    const short = await c.say('Is there a case study I can read?')
    expect(short).toContain('详细一点')
    const full = await c.say('more details')
    expect(full).toMatch(/Case \d/)
    expect(full.length).toBeGreaterThan(short.length)
    expect(full).toMatch(SOURCE)
  })

  it('still answers a Chinese question in Chinese only', async () => {
    const a = await chat(bot).say('统保保多久')
    expect(a).toContain('1.5年')
    expect(a).not.toMatch(/[A-Za-z]{4,}/)
  })
})
