// The `wechat` middleware (benchmark peer only) ships no types.
declare module 'wechat' {
  import type { RequestHandler } from 'express'
  interface WeChatReplyResponse {
    reply(content: string): void
  }
  function wechat(
    config: { token: string; appid?: string; encodingAESKey?: string; checkSignature?: boolean },
    handler: (req: { weixin: Record<string, string> }, res: WeChatReplyResponse, next: () => void) => void,
  ): RequestHandler
  export default wechat
}
