import type { Logger } from 'pino'
import type { Wechaty } from 'wechaty'

/** Something to keep connected: start, stop, and a signal when the connection is gone. */
export interface Connection {
  start(): Promise<void>
  stop(): Promise<void>
  /** Calls `down` once the connection is lost; returns a function that stops watching. */
  watch(down: () => void): () => void
}

export interface SuperviseOptions {
  logger: Logger
  minDelayMs?: number
  maxDelayMs?: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

export interface Supervisor {
  /** Resolves once the first start succeeded (it keeps retrying until then). */
  started: Promise<void>
  /** Stop reconnecting (the caller stops the connection itself). */
  stop(): void
}

/**
 * Keeps a connection up: a failed start is retried, and a lost connection is stopped and started again, with
 * delays doubling from minDelayMs to maxDelayMs. The delay starts over once a connection has held for maxDelayMs.
 */
export function supervise(conn: Connection, { logger, minDelayMs = 1000, maxDelayMs = 60_000, sleep = defaultSleep, now = Date.now }: SuperviseOptions): Supervisor {
  let stopped = false
  let wake: (() => void) | undefined
  let markStarted!: () => void
  const started = new Promise<void>((resolve) => (markStarted = resolve))

  async function run(): Promise<void> {
    let delay = minDelayMs
    while (!stopped) {
      try {
        await conn.start()
        const upAt = now()
        markStarted()
        await new Promise<void>((resolve) => {
          wake = resolve
          const unwatch = conn.watch(() => {
            unwatch()
            resolve()
          })
        })
        wake = undefined
        if (stopped) return
        if (now() - upAt >= maxDelayMs) delay = minDelayMs
        logger.warn({ retryInMs: delay }, 'wechaty connection lost; reconnecting')
      } catch (err) {
        logger.error({ err: (err as Error).message, retryInMs: delay }, 'wechaty could not start; retrying')
      }
      await conn.stop().catch((err: Error) => logger.warn({ err: err.message }, 'wechaty stop failed'))
      await sleep(delay)
      delay = Math.min(maxDelayMs, delay * 2)
    }
  }

  void run()
  return {
    started,
    stop() {
      stopped = true
      wake?.()
    },
  }
}

/**
 * A wechaty instance as a Connection. The puppet resets itself when its heartbeat stops; when that reset fails,
 * the puppet is left off while wechaty still counts as running. Two checks in a row finding it off mean lost.
 */
export function wechatyConnection(wechaty: Wechaty, checkEveryMs = 15_000): Connection {
  return {
    start: () => wechaty.start(),
    stop: () => wechaty.stop(),
    watch(down) {
      let misses = 0
      const timer = setInterval(() => {
        misses = wechaty.puppet.state.inactive() === true ? misses + 1 : 0
        if (misses >= 2) down()
      }, checkEveryMs)
      timer.unref?.()
      return () => clearInterval(timer)
    },
  }
}

// Not unref'd: while it waits to retry, nothing else may be keeping the process alive.
function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
