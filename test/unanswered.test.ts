import { FakeListChatModel } from '@langchain/core/utils/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { goldenItemSchema } from '../src/eval/golden.js'
import { goldenCandidates, groupKey, groupUnanswered, similarity } from '../src/handoff/unanswered-groups.js'
import type { UnansweredEntry } from '../src/store/types.js'
import { pageText, signedIn } from './helpers/console.js'
import { handoffSetup } from './helpers/handoff.js'
import { prompts, withSetup } from './helpers/openai-stub.js'

const entry = (id: string, question: string, at: number, over: Partial<UnansweredEntry> = {}): UnansweredEntry => ({
  id, question, at, channel: 'api', kind: 'abstained', lang: 'zh', sections: [], ...over,
})

describe('grouping unanswered questions', () => {
  it('puts near-identical wordings together (punctuation, filler, traditional characters, a word more or less) and keeps different questions apart', () => {
    expect(groupKey('请问，保費多少錢？')).toBe(groupKey('保费多少钱'))
    expect(similarity('统保的保费是多少钱', '统保保费是多少钱')).toBeGreaterThanOrEqual(0.75)
    expect(similarity('保费', '保额')).toBe(0)
    const groups = groupUnanswered([
      entry('a1', '出口退税怎么办理', 60),
      entry('p1', '统保的保费是多少钱？', 50),
      entry('p2', '请问 统保保费是多少钱', 40),
      entry('p3', '統保保費是多少錢', 30),
      entry('a2', '出口退税怎么办理？', 20),
      entry('l1', '能贷款吗', 10, { kind: 'low-confidence', sections: [{ id: 'core', score: 3.1 }] }),
    ])
    expect(groups.map((g) => [g.count, g.question])).toEqual([
      [3, '统保的保费是多少钱？'],
      [2, '出口退税怎么办理'],
      [1, '能贷款吗'],
    ])
    expect(groups[0]).toMatchObject({ lastAt: 50, firstAt: 30, ids: ['p1', 'p2', 'p3'], variants: ['请问 统保保费是多少钱', '統保保費是多少錢'] })
    // Same count: the more recent first.
    const tie = groupUnanswered([entry('x', '汇率多少', 5), entry('y', '能贷款吗', 9)])
    expect(tie.map((g) => g.question)).toEqual(['能贷款吗', '汇率多少'])
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

  it('is for hotline staff and admins: a manager is refused; a group already handled is a clear 404', async () => {
    const s = handoffSetup()
    await s.addStaff('wang', 'manager', ['宝安区'])
    await s.addStaff('root', 'admin')
    const wang = await signedIn(s.app, 'wang')
    expect((await wang.get('/console/unanswered')).status).toBe(403)
    expect((await wang.get('/console/unanswered/golden.json')).status).toBe(403)
    expect(pageText(await (await wang.get('/console/handoffs')).text())).not.toContain('未答问题')
    const root = await signedIn(s.app, 'root')
    expect((await root.post('/console/unanswered/handled', { group: 'nothing-like-this', upTo: '1' })).status).toBe(404)
    expect((await root.post('/console/unanswered/handled', { group: 'x' })).status).toBe(400)
  })
})
