import { pino, type Logger } from 'pino'

/** JSON logs to stdout; secrets are redacted by path, personal data is masked by the callers. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['secret', 'token', 'apiKey', 'appSecret', 'encodingAesKey', '*.secret', '*.token', '*.apiKey', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  })
}
