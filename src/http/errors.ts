/** An expected failure with an HTTP status and a machine-readable code; answered as JSON. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}
