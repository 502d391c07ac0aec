import { ChatOpenAI } from '@langchain/openai'

export interface ChatModelConfig {
  apiKey: string
  /** An OpenAI-compatible endpoint (DeepSeek, DashScope, Moonshot, vLLM, Ollama…); unset → api.openai.com. */
  baseURL?: string
  model: string
  /** Per request; the turn's overall deadline is enforced separately. */
  timeoutMs: number
  maxTokens?: number
  temperature?: number
}

/**
 * The chat model for any OpenAI-compatible provider, over the Chat Completions API (what compatible providers
 * implement). At most one retry: the library's default of 6 turns a few 500s into a 10-second wait.
 */
export function createChatModel(c: ChatModelConfig): ChatOpenAI {
  return new ChatOpenAI({
    apiKey: c.apiKey,
    model: c.model,
    configuration: c.baseURL ? { baseURL: c.baseURL } : undefined,
    maxRetries: 1,
    timeout: c.timeoutMs,
    maxTokens: c.maxTokens,
    temperature: c.temperature,
    streaming: false,
    useResponsesApi: false,
  })
}
