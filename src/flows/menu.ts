import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'

const GREETING = /^(你好|您好|嗨|哈喽|hi|hello|hey|在吗|在不在|有人吗|菜单|帮助|help|menu|开始|功能|你能做什么|你会什么|\?|？)[\s!！。.~～,，啊呀吗呢]*$/

/** Greeting and help: a short numbered menu built from the skills that have a menu label. */
export function createMenuSkill(getSkills: () => Skill[]): Skill {
  const menuSkills = () => getSkills().filter((s) => s.menuLabel)

  function menu(): string {
    const lines = menuSkills().map((s, i) => `${i + 1}. ${s.menuLabel}`)
    return ['您好，我是深圳统保（出口信用保险）政策咨询助手，可以帮您：', ...lines, '回复数字选择，或直接输入您的问题。'].join('\n')
  }

  function choice(ctx: TurnContext): Skill | undefined {
    const m = /^([1-9])$/.exec(ctx.norm)
    return m ? menuSkills()[Number(m[1]) - 1] : undefined
  }

  return {
    key: 'menu',
    detect: (ctx) => GREETING.test(ctx.norm) || choice(ctx) !== undefined,
    handle: async function handleMenu(ctx) {
      const picked = choice(ctx)
      if (picked) return (picked.start ?? picked.handle)(ctx)
      return [text(menu())]
    },
  }
}
