import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { checkCreditCode, creditCodeProblem, findCreditCode } from '../policy/credit-code.js'
import { matchCompany } from '../policy/roster.js'
import type { RosterStore } from '../store/types.js'

const ON_LIST = /名单|名录|公示/
const ASKS = /在不在|在吗|有没有|有我|查|上吗|里吗|是否|在名单|有无|能查/
const COMPANY = /([\p{Script=Han}A-Za-z0-9（）()·&]{2,40}?(?:股份有限公司|有限责任公司|有限公司|公司|集团|厂|商行))/u
const CODE_LIKE = /(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])/i

/** "XX公司在名单上吗" / a credit code: answered from the commerce bureau's published list, once it is imported. */
export function createRosterSkill({ knowledge, roster }: { knowledge: Knowledge; roster: RosterStore }): Skill {
  const publisher = knowledge.contacts.listPublisher
  const source = citation(knowledge, publisher.source)
  const authority = `最终以${publisher.name}官网公示确认的名单为准。`

  async function byCode(code: string): Promise<Reply[]> {
    const check = checkCreditCode(code)
    if (!check.ok) return [text(`${creditCodeProblem(check.reason)}，请核对后重新发送。`)]
    if (!(await roster.size())) return [text(noList())]
    const hit = await roster.getByCode(check.code)
    if (hit) return [text(`在名单上：${hit.name}（${hit.creditCode}）。\n${authority}\n${source}`)]
    return [text(`导入的名单里没有统一社会信用代码为 ${check.code} 的企业。\n${authority}如有疑问，可发企业全称让我按名称查。\n${source}`)]
  }

  async function byName(name: string): Promise<Reply[]> {
    const entries = await roster.all()
    if (!entries.length) return [text(noList())]
    const { exact, candidates } = matchCompany(entries, name)
    if (exact) return [text(`在名单上：${exact.name}（${exact.creditCode}）。\n${authority}\n${source}`)]
    if (candidates.length) {
      const list = candidates.map((c, i) => `${i + 1}. ${c.name}（${c.creditCode}）`).join('\n')
      return [text(`名单里没有完全一致的“${name}”，名字相近的有：\n${list}\n如果是其中一家，请发它的统一社会信用代码确认。\n${source}`)]
    }
    return [text(`导入的名单里没有找到“${name}”。请核对企业全称，或发统一社会信用代码再查。\n${authority}\n${source}`)]
  }

  function noList(): string {
    return `我这里还没有导入${publisher.name}公示的企业名单，暂时查不了。名单由${publisher.name}通过官方网站公示，公示期满后确认。\n${source}`
  }

  function codeIn(ctx: TurnContext): string | undefined {
    return findCreditCode(ctx.text) ?? CODE_LIKE.exec(ctx.text)?.[0]
  }

  return {
    key: 'roster',
    menuLabel: '查企业是否在统保名单上',
    detect(ctx) {
      if (findCreditCode(ctx.text)) return true
      if (CODE_LIKE.test(ctx.text) && /代码|信用/.test(ctx.norm)) return true
      return ON_LIST.test(ctx.norm) && ASKS.test(ctx.norm) && COMPANY.test(ctx.norm)
    },
    start: () => [text('请发企业全称或18位统一社会信用代码，我帮您查是否在统保企业名单上。')],
    handle: async function lookUpRoster(ctx) {
      const code = codeIn(ctx)
      if (code) return byCode(code)
      const name = COMPANY.exec(ctx.norm)?.[1]?.replace(/^(请问|查一下|查查|查|帮我查|我们|我司|贵司)+/, '')
      return name ? byName(name) : [text('请发企业全称或18位统一社会信用代码。')]
    },
  }
}
