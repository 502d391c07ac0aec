import type { ExecutionContext } from '@cloudflare/workers-types/index.js'
import { createWorkerHandler, scheduledWork, type WorkerEnv, type WorkerHandler } from './worker/build.js'
import { createWorkerLogger } from './worker/logger.js'

export { LedgerObject, SharedObject, UserObject } from './worker/objects.js'

let handler: Promise<WorkerHandler> | undefined

/**
 * Cloudflare Workers entry (wrangler.toml): the same Hono app as `npm start` — /healthz, /api/chat, /wechat.
 * The bot is built on the first request, not at import: workerd forbids timers and randomness at global scope,
 * and the configuration only arrives with a request (env).
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let serve: WorkerHandler
    try {
      serve = await (handler ??= createWorkerHandler(env))
    } catch (err) {
      // A bad setting, knowledge file or prompt: the log names it; tried again on the next request.
      handler = undefined
      createWorkerLogger('error').error({ err }, 'the bot could not start')
      return Response.json({ error: { code: 'not_configured', message: '服务配置有误，请联系管理员。' } }, { status: 500 })
    }
    return serve(request, ctx)
  },

  /** Every minute (wrangler.toml [triggers]): the handoff sweep that runs on a timer on Node. */
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    try {
      ctx.waitUntil(scheduledWork(await (handler ??= createWorkerHandler(env))))
    } catch (err) {
      handler = undefined
      createWorkerLogger('error').error({ err }, 'the bot could not start')
    }
  },
}
