import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HttpError } from './errors.js'

/**
 * Cap request bodies. A declared Content-Length is checked from the header alone: touching `req.body` makes the
 * Node adapter build a web stream for every request, which costs more than the rest of a small request.
 * Bodies without a length (chunked) go through Hono's streaming limit.
 */
export function capBody({ maxBytes }: { maxBytes: number }): MiddlewareHandler {
  const tooLarge = () => {
    throw new HttpError(413, 'body_too_large', `请求体不能超过 ${maxBytes} 字节`)
  }
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async function capRequestBody(c, next) {
    const length = c.req.header('content-length')
    if (length !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(length) > maxBytes) tooLarge()
      return next()
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    return streaming(c, next)
  }
}
