import { describe, expect, it } from 'vitest'
import { buildKnowledge, KnowledgeError } from '../src/knowledge/knowledge.js'
import { wordingOf } from '../src/understand/acts.js'
import { createReader } from '../src/understand/reading.js'
import { findStatedFacts } from '../src/understand/stated.js'
import { realKnowledge, testBot } from './helpers/bot.js'
import { readdirSync, readFileSync } from 'node:fs'

const { knowledge } = realKnowledge()
const reader = createReader({ wording: knowledge.wording })
const read = (t: string) => reader.read(t, Date.UTC(2026, 11, 8))
const { acts } = wordingOf(knowledge.wording)

describe('dialogue acts: one reader for every kind of message', () => {
  it.each([
    ['能赔多少？', 'question'],
    ['我们公司在观澜', 'statement'],
    ['不对不对，是600万美元', 'correction'],
    ['搞错了，我们公司其实在光明', 'correction'],
    ['sorry, actually 7.5M', 'correction'],
    ['是的', 'confirmation'],
    ['不是', 'denial'],
    ['您好', 'greeting'],
    ['亲，在吗', 'greeting'],
    ['谢谢', 'thanks'],
    ['转人工', 'person'],
    ['客服', 'person'],
    ['I want to talk to a person', 'person'],
    ['你们答非所问', 'complaint'],
  ])('%s → %s', (t, act) => {
    expect(read(t).act).toBe(act)
  })

  it('tells a yes to a question of fact from accepting an offer', () => {
    for (const yes of ['是', '是的', '对', '对的', '是，信用证', 'yes', 'Yes', '嗯，是的', '是的，用了信用证']) expect(read(yes).answer, yes).toBe(true)
    for (const no of ['不是', '没有', '否', '不是，电汇', 'no']) expect(read(no).answer, no).toBe(false)
    // "好的" accepts "需要转人工吗？" but says nothing to "合同是贵司签的吗？".
    for (const filler of ['好的', '嗯', 'ok', '好', '行']) {
      expect(read(filler).answer, filler).toBeUndefined()
      expect(read(filler).accepts, filler).toBe(true)
    }
    expect(read('好的，谢谢').accepts).toBe(false)
  })

  it('hears a question in Chinese, Cantonese-made-standard and English, and not in a statement', () => {
    for (const q of ['能参加吗', '找谁办', '保险期限多长', '系咪要交钱', '报案电话是88325700对吧', 'how much is paid', 'Can we join?']) expect(read(q).asks, q).toBe(true)
    for (const s of ['我们在福永', '买家欠了我们10万美元', 'our exports were 5 million']) expect(read(s).asks, s).toBe(false)
  })

  it('drops greetings and politeness from the parts to answer, and splits "X和Y分别…"', () => {
    expect(read('亲，在吗？请问一下哈！赔付比例是多少？').clauses.map((c) => c.text)).toEqual(['赔付比例是多少'])
    expect(read('单一窗口支持电话和理赔电话分别是多少').clauses.map((c) => c.text)).toEqual(['单一窗口支持电话是多少', '理赔电话是多少'])
  })

  it('reads letter of credit or not once, for every skill', () => {
    const cases: Array<[string, boolean | undefined]> = [
      ['我们是信用证结算', true],
      ['paid by l/c from the issuing bank', true],
      ['开证行倒闭了', true],
      ['不是信用证，是电汇', false],
      ['这笔不是信用证', false],
      ['open account, 90 days', false],
      ['买家破产了', undefined],
    ]
    for (const [t, lc] of cases) expect(read(t).lc, t).toBe(lc)
  })
})

describe('facts of the policy a user states', () => {
  const stated = (t: string) => findStatedFacts(read(t).norm, acts)
  it('types a phone by the words before it', () => {
    expect(stated('报案是打88325713对吧？')).toEqual([{ kind: 'phone', value: '88325713', role: 'claims', raw: '88325713' }])
    expect(stated('单一窗口的电话是83165355吗')[0]).toMatchObject({ value: '83165355', role: 'singleWindow' })
  })
  it('reads a ratio, a term and a quoted cap, but not a loss as a cap', () => {
    expect(stated('赔付比例是90%吗')).toEqual([{ kind: 'ratio', value: 0.9, raw: expect.any(String) }])
    expect(stated('是不是赔九成')).toMatchObject([{ kind: 'ratio', value: 0.9 }])
    expect(stated('保险期限是1.5个月对吧')).toMatchObject([{ kind: 'term', value: 1.5, unit: 'month' }])
    expect(stated('每个买家限额是20万美元吗')).toMatchObject([{ kind: 'cap', value: 200_000 }])
    expect(stated('买家欠了15万美元，最多赔多少')).toEqual([])
  })
})

describe('knowledge/wording.json', () => {
  it('is refused at start-up with the file and the field named when a list is empty', () => {
    const files: Record<string, string> = {}
    for (const name of readdirSync('knowledge')) if (/\.(md|json|txt)$/.test(name)) files[name] = readFileSync(`knowledge/${name}`, 'utf8')
    const broken = JSON.parse(files['wording.json']!)
    broken.acts.yes = []
    expect(() => buildKnowledge({ ...files, 'wording.json': JSON.stringify(broken) })).toThrow(KnowledgeError)
    expect(() => buildKnowledge({ ...files, 'wording.json': JSON.stringify(broken) })).toThrow(/wording\.json.*acts\.yes/)
  })

  it('is the data the bot reads: a new way of saying yes is a data change', async () => {
    const wording = structuredClone(knowledge.wording)
    wording.acts.yes.push('木有错')
    const custom = createReader({ wording })
    expect(custom.read('木有错', Date.now()).answer).toBe(true)
    expect(read('木有错').answer).toBeUndefined()
    // The running bot reads with the knowledge's wording.
    const bot = testBot()
    expect(bot.reader.read('是的', Date.now()).answer).toBe(true)
  })
})

describe('what each figure is: one reader of amounts and their roles', () => {
  const roles = (t: string) => read(t).amounts.map((a) => [a.raw, a.role])
  it('reads the firm’s exports, a loss, a sum paid back and a limit apart, clause by clause', () => {
    expect(roles('我们2020年出口额500万美元，买家欠了10万美元')).toEqual([['500万美元', 'exports'], ['10万美元', 'loss']])
    expect(roles('买家总共欠12万美元，后来还了6万美元')).toEqual([['12万美元', 'loss'], ['6万美元', 'repaid']])
    expect(roles('限额15万美元，买家欠了20万美元')).toEqual([['15万美元', 'limit'], ['20万美元', 'loss']])
    expect(roles('Our 2020 exports were USD 7.5 million')).toEqual([['USD 7.5 million', 'exports']])
    expect(roles('我们出口600万美元')).toEqual([['600万美元', 'exports']])
  })
  it('leaves a figure with nothing around it unsaid (the bot asks)', () => {
    expect(roles('500万美元可以吗')).toEqual([['500万美元', 'unsaid']])
  })
  it('does not take a shipment in a loss story for the firm’s exports', () => {
    expect(roles('出口了一批货，买家欠我们10万美元')).toEqual([['10万美元', 'loss']])
  })
})
