/** An expected refusal in the console: shown as a page (or JSON under /console/api) with this status and message. */
export class ConsoleError extends Error {
  override name = 'ConsoleError'
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
  ) {
    super(message)
  }
}
