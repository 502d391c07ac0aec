import { randomUUID } from 'node:crypto'
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import type { Logger } from 'pino'
import { StoreUnavailableError } from './types.js'

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code

const heldLocks = new Set<string>()

interface LockInfo {
  pid: number
  host: string
  token: string
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errCode(err) === 'EPERM'
  }
}

/**
 * Take dataDir's lock file: two processes appending to one journal would corrupt it. The holder touches the file
 * every staleMs/3; a lock from a dead pid on this host, or one untouched for staleMs (a crashed container whose
 * pid means nothing here), is taken over.
 */
export async function acquireLock(path: string, staleMs: number, logger?: Logger) {
  const me: LockInfo = { pid: process.pid, host: hostname(), token: randomUUID() }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx')
      try {
        await fh.writeFile(JSON.stringify(me))
        await fh.sync()
      } finally {
        await fh.close()
      }
      heldLocks.add(path)
      break
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err
    }
    let holder: LockInfo | undefined
    let ageMs = 0
    try {
      ageMs = Date.now() - (await stat(path)).mtimeMs
      holder = JSON.parse(await readFile(path, 'utf8')) as LockInfo
    } catch (err) {
      if (errCode(err) === 'ENOENT') continue // released meanwhile
      holder = undefined // being written by a process starting right now, or garbage
    }
    const live =
      ageMs < staleMs &&
      (!holder ||
        holder.host !== me.host ||
        (holder.pid === me.pid ? heldLocks.has(path) : pidAlive(holder.pid)))
    if (live) {
      const who = holder ? `process ${holder.pid} on ${holder.host}` : 'another process'
      throw new StoreUnavailableError(
        `data directory ${dirname(path)} is in use by ${who} (lock file ${path}); stop it or give this process its own DATA_DIR`,
      )
    }
    logger?.warn({ lock: path, pid: holder?.pid }, 'taking over stale store lock')
    await unlink(path).catch(() => undefined)
  }
  if (!heldLocks.has(path)) throw new StoreUnavailableError(`could not take the lock file ${path}`)

  const heartbeat = setInterval(() => {
    const t = new Date()
    utimes(path, t, t).catch((err: Error) => logger?.warn({ err: err.message, lock: path }, 'could not touch store lock'))
  }, staleMs / 3)
  heartbeat.unref()
  return async function releaseLock() {
    clearInterval(heartbeat)
    heldLocks.delete(path)
    const current = await readFile(path, 'utf8').catch(() => '')
    if (current.includes(me.token)) await unlink(path).catch(() => undefined)
  }
}
