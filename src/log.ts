import { pino, type Logger } from 'pino'
import { maskPersonalData } from './text/mask.js'

/**
 * JSON logs to stdout; secrets are redacted by path. Callers mask the text they log, and every top-level string
 * field is masked again here, so a phone or credit code that slips into a log line is never written whole.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['secret', 'token', 'apiKey', 'appSecret', 'encodingAesKey', '*.secret', '*.token', '*.apiKey', 'req.headers.authorization'],
      censor: '[redacted]',
    },
    formatters: {
      log(fields) {
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? maskPersonalData(v) : v
        return out
      },
    },
  })
}
