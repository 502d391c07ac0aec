import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'

const THANKS = /^(谢谢|谢了|多谢|感谢|thanks|thank you|thanks a lot|many thanks|thx|好的谢谢|好的|好|ok|明白了|知道了|收到|再见|拜拜|bye)[\s!！。.~～,，啦了呀哈]*$/
const GREETING = /^(你好|您好|嗨|哈喽|hi|hello|hey|hi there|hello there|good (morning|afternoon|evening)|在吗|在不在|有人吗|菜单|帮助|help|menu|开始|功能|你能做什么|你会什么|what can you do|how can you help( me)?|\?|？)[\s!！。.~～,，啊呀吗呢?]*$/
// The menu in English for a greeting typed in English ("hello", "what can you do?").
const EN_LABELS: Record<string, string> = {
  'policy-qa': 'Policy questions (what is covered, how much is paid, how to get the policy…)',
  eligibility: 'Check whether your firm can join',
  payout: 'Estimate a payout',
  manager: 'Find the account manager for your district',
  claim: 'Report a loss online (buyer not paying, goods refused…); the form is in Chinese',
  'claim-status': 'Check the status of your loss report',
  roster: 'Check whether a firm is on the published list',
}
const english = (ctx: TurnContext) => ctx.lang === 'en' || (/[a-z]/.test(ctx.norm) && !/[\u3400-\u9fff]/.test(ctx.norm))

/** Greeting and help: a short numbered menu built from the skills that have a menu label. */
export function createMenuSkill(getSkills: () => Skill[]): Skill {
  const menuSkills = () => getSkills().filter((s) => s.menuLabel)

  function menu(ctx: TurnContext): string {
    if (english(ctx)) {
      const lines = menuSkills().map((s, i) => `${i + 1}. ${EN_LABELS[s.key] ?? s.menuLabel}`)
      return ["Hello, I answer questions about Shenzhen's blanket export credit insurance policy (统保). I can help you:", ...lines, 'Reply with a number, or just type your question in English or Chinese.'].join('\n')
    }
    const lines = menuSkills().map((s, i) => `${i + 1}. ${s.menuLabel}`)
    return ['您好，我是深圳统保（出口信用保险）政策咨询助手，可以帮您：', ...lines, '回复数字选择，或直接输入您的问题。'].join('\n')
  }

  function choice(ctx: TurnContext): Skill | undefined {
    const m = /^([1-9])$/.exec(ctx.norm)
    return m ? menuSkills()[Number(m[1]) - 1] : undefined
  }

  return {
    key: 'menu',
    transient: true,
    detect: (ctx) => GREETING.test(ctx.norm) || THANKS.test(ctx.norm) || choice(ctx) !== undefined,
    handle: async function handleMenu(ctx) {
      if (THANKS.test(ctx.norm)) {
        if (english(ctx) && ctx.norm !== 'ok') return [text('You are welcome! Ask me anything else about the blanket policy, or reply "menu" to see what I can do.')]
        return [text('不客气！还有统保方面的问题随时问我，回复“菜单”可以看我能做什么。')]
      }
      const picked = choice(ctx)
      if (picked) return (picked.start ?? picked.handle)(ctx)
      return [text(menu(ctx))]
    },
  }
}
