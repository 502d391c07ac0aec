import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { ChatOpenAIFields } from '@langchain/openai'

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
 * The client settings for any OpenAI-compatible provider, over the Chat Completions API (what compatible providers
 * implement). At most one retry: the library's default of 6 turns a few 500s into a 10-second wait. Not streamed:
 * the guard needs the whole answer, and a streamed invoke estimates tokens with a tokenizer fetched from the internet.
 */
export function chatModelFields(c: ChatModelConfig): ChatOpenAIFields {
  return {
    apiKey: c.apiKey,
    model: c.model,
    configuration: c.baseURL ? { baseURL: c.baseURL } : undefined,
    maxRetries: 1,
    timeout: c.timeoutMs,
    maxTokens: c.maxTokens,
    temperature: c.temperature,
    streaming: false,
    useResponsesApi: false,
  }
}

/** The chat model; @langchain/openai is loaded here, on demand, so the embedded mode never loads it. */
export async function createChatModel(c: ChatModelConfig): Promise<BaseChatModel> {
  const { ChatOpenAI } = await import('@langchain/openai')
  return new ChatOpenAI(chatModelFields(c))
}
