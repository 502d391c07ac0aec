/** Whether a message is over MAX_TEXT_LENGTH (UTF-16 units, as the /api/chat schema counts). */
export function isTooLong(text: string, maxTextLength: number): boolean {
  return text.length > maxTextLength
}

/** The answer to a message over the limit, on every channel that answers in chat: nothing in it is processed. */
export function tooLongReply(maxTextLength: number): string {
  return `您的消息太长了（超过${maxTextLength}个字），我没有处理。请分几次发送，或只说要点。`
}
