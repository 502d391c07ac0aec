import type { Logger } from 'pino'
import type { HandoffDesk } from './desk.js'

export interface HandoffSweeper {
  /** One pass now (tests, and right after a wechaty login). */
  run(): Promise<void>
  /** Stop the timer and wait for a pass under way, so nothing writes to a closed store. */
  stop(): Promise<void>
}

/**
 * Every few seconds, on every instance (compare-and-set keeps each step to one of them): handoffs nobody took in
 * time are marked timed out and their WeChat users told at once (others at their next message); staff messages
 * for a channel this process can push to (wechaty logged in here) are sent.
 */
export function startHandoffSweeper({ desk, logger, intervalMs = 5_000 }: { desk: HandoffDesk; logger: Logger; intervalMs?: number }): HandoffSweeper {
  let running: Promise<void> | undefined
  let stopped = false
  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    running ??= desk
      .sweep()
      .catch((err: Error) => logger.warn({ err: err.message }, 'handoff sweep failed'))
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void run(), intervalMs)
  timer.unref?.()
  return {
    run,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
