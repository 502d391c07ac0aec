import { z } from 'zod'

/** Body of POST /api/chat. */
export function chatRequestSchema(maxTextLength: number) {
  return z.object({
    userId: z.string().trim().min(1, 'userId 不能为空').max(128, 'userId 过长'),
    text: z.string().max(maxTextLength, `text 不能超过 ${maxTextLength} 个字符`),
  })
}
export type ChatRequest = z.infer<ReturnType<typeof chatRequestSchema>>

export interface ChatResponse {
  replies: Array<{ type: 'text'; text: string }>
}
