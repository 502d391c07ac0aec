import type { Logger } from 'pino'
import { maskPersonalData } from '../text/mask.js'

/** pino's level numbers, so log lines from Node and Workers read and filter alike. */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const
type Level = keyof typeof LEVELS

// The paths src/log.ts redacts: top-level names, the same names one level down, and the Authorization header.
const SECRET_KEYS = new Set(['secret', 'token', 'apiKey', 'appSecret', 'encodingAesKey'])
const NESTED_SECRET_KEYS = new Set(['secret', 'token', 'apiKey'])
const REDACTED = '[redacted]'

function serializeError(err: Error): Record<string, unknown> {
  return { type: err.name, message: maskPersonalData(err.message), stack: err.stack && maskPersonalData(err.stack) }
}

/** The fields of one line: secrets redacted, every top-level string masked, errors as pino writes them. */
export function logFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEYS.has(k)) out[k] = REDACTED
    else if (typeof v === 'string') out[k] = maskPersonalData(v)
    else if (v instanceof Error) out[k] = serializeError(v)
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redactNested(k, v as Record<string, unknown>)
    else out[k] = v
  }
  return out
}

function redactNested(key: string, v: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const [k, inner] of Object.entries(v)) copy[k] = NESTED_SECRET_KEYS.has(k) ? REDACTED : inner
  if (key === 'req' && copy.headers && typeof copy.headers === 'object' && 'authorization' in copy.headers) {
    copy.headers = { ...(copy.headers as Record<string, unknown>), authorization: REDACTED }
  }
  return copy
}

/**
 * The logger on Workers: pino needs Node streams, so this writes the same JSON lines (level, time, msg, fields)
 * with console.log, which Workers Logs and `wrangler tail` collect. Same redaction and masking as src/log.ts.
 * It has the part of pino's Logger the bot uses (the levels, isLevelEnabled, child).
 */
export function createWorkerLogger(level: string, write: (line: string) => void = (line) => console.log(line), bindings: Record<string, unknown> = {}): Logger {
  const threshold = LEVELS[level as Level] ?? LEVELS.info
  const emit = (lvl: Exclude<Level, 'silent'>) =>
    function log(first?: unknown, msg?: string) {
      if (LEVELS[lvl] < threshold) return
      const [fields, text] = typeof first === 'string' ? [{}, first] : [first instanceof Error ? { err: first } : ((first ?? {}) as Record<string, unknown>), msg]
      const line: Record<string, unknown> = { level: LEVELS[lvl], time: Date.now(), ...logFields({ ...bindings, ...fields }) }
      if (text !== undefined) line.msg = maskPersonalData(text)
      write(JSON.stringify(line))
    }
  const logger = {
    level,
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    fatal: emit('fatal'),
    silent: () => undefined,
    isLevelEnabled: (lvl: string) => (LEVELS[lvl as Level] ?? Infinity) >= threshold,
    child: (more: Record<string, unknown>) => createWorkerLogger(level, write, { ...bindings, ...more }),
  }
  return logger as unknown as Logger
}
