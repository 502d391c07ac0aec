import { FakeListChatModel } from '@langchain/core/utils/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { goldenItemSchema } from '../src/eval/golden.js'
import { createUnansweredGrouper, goldenCandidates, groupKey, groupUnanswered, similarity } from '../src/handoff/unanswered-groups.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import type { UnansweredEntry } from '../src/store/types.js'
import { pageText, signedIn } from './helpers/console.js'
import { handoffSetup } from './helpers/handoff.js'
import { prompts, withSetup } from './helpers/openai-stub.js'

const entry = (id: string, question: string, at: number, over: Partial<UnansweredEntry> = {}): UnansweredEntry => ({
  id, question, at, channel: 'api', kind: 'abstained', lang: 'zh', sections: [], ...over,
})

describe('grouping unanswered questions', () => {
  it('puts near-identical wordings together (punctuation, filler, traditional characters, a word more or less) and keeps different questions apart', async () => {
    expect(groupKey('请问，保費多少錢？')).toBe(groupKey('保费多少钱'))
    expect(similarity('统保的保费是多少钱', '统保保费是多少钱')).toBeGreaterThanOrEqual(0.75)
    expect(similarity('保费', '保额')).toBe(0)
    // Each question is filed under its group as it is logged, oldest first, as traffic arrives.
    const grouper = createUnansweredGrouper(createMemoryStore({ sessionTtlSeconds: 60 }).kv)
    const asked = [
      entry('l1', '能贷款吗', 10, { kind: 'low-confidence', sections: [{ id: 'core', score: 3.1 }] }),
      entry('a2', '出口退税怎么办理？', 20),
      entry('p3', '統保保費是多少錢', 30),
      entry('p2', '请问 统保保费是多少钱', 40),
      entry('p1', '统保的保费是多少钱？', 50),
      entry('a1', '出口退税怎么办理', 60),
    ]
    for (const e of asked) e.group = await grouper.assign(e.question)
    const groups = groupUnanswered(asked.reverse())
    expect(groups.map((g) => [g.count, g.question])).toEqual([
      [3, '统保的保费是多少钱？'],
      [2, '出口退税怎么办理'],
      [1, '能贷款吗'],
    ])
    expect(groups[0]).toMatchObject({ lastAt: 50, firstAt: 30, ids: ['p1', 'p2', 'p3'], variants: ['请问 统保保费是多少钱', '統保保費是多少錢'] })
    expect(groups[0]!.id).toMatch(/^[0-9a-f]{14}$/)
    // Same count: the more recent first.
    const tie = groupUnanswered([entry('x', '汇率多少', 5), entry('y', '能贷款吗', 9)])
    expect(tie.map((g) => g.question)).toEqual(['能贷款吗', '汇率多少'])
  })

  it('finds the group of a reworded question among thousands of others without comparing it with each', async () => {
    const kv = createMemoryStore({ sessionTtlSeconds: 60 }).kv
    let reads = 0
    const counting = { ...kv, get: (k: string) => ((reads += 1), kv.get(k)) }
    const grouper = createUnansweredGrouper(counting)
    // 2,000 distinct long questions (the flood of the issue: distinct 500-character messages).
    let seed = 7
    const rand = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5), (seed >>> 0) / 2 ** 32)
    const POOL = '统保出口信用保险买家付款理赔报案客户经理深圳美元赔付比例限额破产拒收银行合同货物报关时间期限企业名单电话怎么办'
    const distinct = () => Array.from({ length: 500 }, () => POOL[Math.floor(rand() * POOL.length)]).join('')
    const seen = new Set<string>()
    for (let n = 0; n < 2000; n++) seen.add((await grouper.assign(distinct())).id)
    expect(seen.size).toBeGreaterThan(1900)
    reads = 0
    const first = await grouper.assign('信用证项下开证行倒闭了，我们的损失能不能赔？')
    const again = await grouper.assign('请问：信用证项下的开证行倒闭了，我们损失能不能赔')
    const other = await grouper.assign('保单是纸质的还是电子的？')
    expect(again.id).toBe(first.id)
    expect(other.id).not.toBe(first.id)
    // A handful of slot reads per question, however many groups there are.
    expect(reads).toBeLessThanOrEqual(3 * 16)
  })

  it('exports groups in the golden set’s shape: out-of-scope topics as abstain items, the rest with the sections found', () => {
    const groups = groupUnanswered([
      entry('t', '退税怎么办', 2, { topic: '出口退税' }),
      entry('l', '怎么投保', 1, { kind: 'low-confidence', sections: [{ id: 'collect-online', score: 3.9 }] }),
    ])
    const items = goldenCandidates(groups)
    expect(z.array(goldenItemSchema.strict()).parse(items)).toEqual([
      { q: '退税怎么办', category: 'abstain', sections: [], facts: [], absent: [], before: [] },
      { q: '怎么投保', category: 'unanswered', sections: ['collect-online'], facts: [], absent: [], before: [] },
    ])
  })
})

describe('the unanswered log from real traffic, on the console', () => {
  it('logs abstentions and weak answers with personal data masked and the sections found; groups, counts and sorts them', async () => {
    const s = handoffSetup()
    await s.addStaff('zhang', 'hotline')
    for (const [user, q] of [
      ['u1', '统保的保费是多少钱？'],
      ['u2', '请问统保保费是多少钱'],
      ['u3', '統保保費是多少錢'],
      ['u4', '我手机13812345678，保险责任是什么'],
      ['u5', '请问保单号在哪能查到'],
      ['u6', '赔付比例是多少'],
    ]) {
      s.advance(60_000)
      await s.say(user!, q!)
    }
    const log = await s.store.unanswered!.recent(10)
    expect(log.map((e) => e.kind).sort()).toEqual(['abstained', 'abstained', 'abstained', 'abstained', 'low-confidence'])
    const masked = log.find((e) => e.question.includes('保险责任'))!
    expect(masked.question).toBe('我手机138****5678，保险责任是什么')
    expect(masked.sections[0]).toEqual({ id: expect.any(String), score: expect.any(Number) })
    expect(log.find((e) => e.question.includes('保单号'))).toMatchObject({ kind: 'low-confidence', sections: [{ id: 'collect-online' }, expect.anything(), expect.anything()] })
    expect(log.find((e) => e.question.includes('保费'))!.topic).toBeDefined()

    const zhang = await signedIn(s.app, 'zhang')
    const html = await (await zhang.get('/console/unanswered')).text()
    const text = pageText(html)
    expect(text).toContain('共 3 组、5 次提问')
    expect(text).not.toContain('13812345678')
    expect(text).toContain('138****5678')
    // Most asked first: the premium question (3 wordings), then the two asked once, the latest first.
    expect(text.indexOf('统保的保费是多少钱？')).toBeLessThan(text.indexOf('保单号在哪能查到'))
    expect(text.indexOf('保单号在哪能查到')).toBeLessThan(text.indexOf('保险责任是什么'))
    // The latest wording stands for the group when each was asked once.
    expect(text).toContain('統保保費是多少錢 类似问法：请问统保保费是多少钱 / 统保的保费是多少钱？')
    expect(text).toContain('把握不大')
    expect(text).toMatch(/线上领取保单（\d+(\.\d+)?）/)

    // Exported as golden candidates, one group or all.
    const key = /name="group" value="([^"]+)"/.exec(html)![1]!
    const one = await zhang.get(`/console/unanswered/golden.json?group=${encodeURIComponent(key)}`)
    expect(one.headers.get('content-disposition')).toMatch(/attachment; filename="golden-candidates-\d{8}\.json"/)
    expect(z.array(goldenItemSchema.strict()).parse(await one.json())).toEqual([{ q: '統保保費是多少錢', category: 'abstain', sections: [], facts: [], absent: [], before: [] }])
    expect(z.array(goldenItemSchema).parse(await (await zhang.get('/console/unanswered/golden.json')).json())).toHaveLength(3)

    // Marked handled: gone from the list, shown under 已处理; asked again later, it is back.
    const upTo = /name="upTo" value="(\d+)"/.exec(html)![1]!
    const marked = await zhang.post('/console/unanswered/handled', { group: key, upTo })
    expect(marked.status).toBe(303)
    expect(marked.headers.get('location')).toBe('/console/unanswered?marked=3')
    const open = pageText(await (await zhang.get('/console/unanswered')).text())
    expect(open).toContain('共 2 组、2 次提问')
    expect(open).not.toContain('保费是多少钱')
    expect(pageText(await (await zhang.get('/console/unanswered?show=handled')).text())).toContain('统保的保费是多少钱？')
    s.advance(60_000)
    await s.say('u7', '保费是多少钱')
    expect(pageText(await (await zhang.get('/console/unanswered')).text())).toContain('共 3 组、3 次提问')
    const audit = (await s.store.audit.list(0, 10)).map((e) => e.action)
    expect(audit).toEqual(expect.arrayContaining(['unanswered.handled', 'unanswered.export']))
  })

  it('logs a model answer the fact guard threw out, with what was wrong', async () => {
    // The model says 90% twice (first answer and its repair), which the sources never say: the user gets the
    // embedded answer, staff see why.
    const fake = new FakeListChatModel({ responses: ['保险期限是1.5年，赔付比例是90%。', '保险期限是1.5年，赔付比例是90%。'] })
    const s = handoffSetup({ model: withSetup({ chat: fake, prompts, settings: { modelName: 'fake' } }) })
    await s.addStaff('zhang', 'hotline')
    const answer = await s.say('m1', '统保保险期限多久')
    expect(answer.join()).toContain('2021年1月至2022年6月')
    expect(answer.join()).not.toContain('90%')
    const [logged] = await s.store.unanswered!.recent(5)
    expect(logged).toMatchObject({ kind: 'guarded-out', question: '统保保险期限多久' })
    expect(logged!.detail).toContain('90%')
    expect(logged!.sections.length).toBeGreaterThan(0)
    const zhang = await signedIn(s.app, 'zhang')
    expect(pageText(await (await zhang.get('/console/unanswered')).text())).toContain('模型回答未通过核对')
  })

  it('pages through 600 distinct long questions, 50 groups a page, and marks one group handled without touching the others', async () => {
    const s = handoffSetup()
    await s.addStaff('zhang', 'hotline')
    let seed = 11
    const rand = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5), (seed >>> 0) / 2 ** 32)
    const POOL = '天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈'
    const flood = Array.from({ length: 600 }, () => Array.from({ length: 500 }, () => POOL[Math.floor(rand() * POOL.length)]).join(''))
    for (const [i, q] of flood.entries()) await s.say(`flood${i}`, q)
    s.advance(60_000)
    await s.say('v1', '出口退税怎么办理？')
    s.advance(60_000)
    await s.say('v2', '请问出口退税怎么办理')
    const entries = await s.store.unanswered.recent(1000)
    expect(entries).toHaveLength(602)

    const zhang = await signedIn(s.app, 'zhang')
    const first = await zhang.get('/console/unanswered')
    const html = await first.text()
    const text = pageText(html)
    expect(first.status).toBe(200)
    // The reworded question is one group of two, listed first; the 600 distinct ones are groups of their own.
    expect(text).toContain('共 601 组、602 次提问')
    expect(text).toContain('第 1 / 13 页')
    expect(html.match(/name="group"/g)).toHaveLength(50)
    expect(/<td class="num">(\d+)<\/td>\s*<td>\s*<div>([^<]*)</.exec(html)?.slice(1)).toEqual(['2', '请问出口退税怎么办理'])
    const last = pageText(await (await zhang.get('/console/unanswered?page=13')).text())
    expect(last).toContain('第 13 / 13 页')
    expect(last).toContain('上一页')
    expect(last).not.toContain('下一页')

    const group = /name="group" value="([0-9a-f]{14})"/.exec(html)![1]!
    const upTo = /name="upTo" value="(\d+)"/.exec(html)![1]!
    const marked = await zhang.post('/console/unanswered/handled', { group, upTo })
    expect(marked.headers.get('location')).toBe('/console/unanswered?marked=2')
    expect(pageText(await (await zhang.get('/console/unanswered')).text())).toContain('共 600 组、600 次提问')
  })

  it('is for hotline staff and admins: a manager is refused; a group already handled is a clear 404', async () => {
    const s = handoffSetup()
    await s.addStaff('wang', 'manager', ['宝安区'])
    await s.addStaff('root', 'admin')
    const wang = await signedIn(s.app, 'wang')
    expect((await wang.get('/console/unanswered')).status).toBe(403)
    expect((await wang.get('/console/unanswered/golden.json')).status).toBe(403)
    expect(pageText(await (await wang.get('/console/handoffs')).text())).not.toContain('未答问题')
    const root = await signedIn(s.app, 'root')
    expect((await root.post('/console/unanswered/handled', { group: '0123456789abcd', upTo: '1' })).status).toBe(404)
    expect((await root.post('/console/unanswered/handled', { group: 'x' })).status).toBe(400)
  })
})
