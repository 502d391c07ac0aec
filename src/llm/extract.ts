import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { BaseMessage } from '@langchain/core/messages'
import type { Logger } from 'pino'
import { z } from 'zod'
import { maskPersonalData } from '../text/mask.js'
import type { Prompts } from './prompts.js'
import type { ModelRuntime } from './runtime.js'

/** A form field the model may fill from free text. */
export interface ExtractField {
  key: string
  label: string
}

export interface ExtractRequest {
  message: object
  owner: string
  text: string
  fields: readonly ExtractField[]
  /** Today in China time, YYYY-MM-DD, so "去年" stays as said and is resolved by the bot's own parser. */
  today: string
}

export interface Extractor {
  /** The user's own words for each field the model found (raw strings; the caller validates every one). */
  extract(req: ExtractRequest): Promise<Record<string, string>>
}

/**
 * `functionCalling` or `jsonMode` only: the library's default for OpenAI models is the strict `json_schema`
 * response format, which many OpenAI-compatible providers (DeepSeek, DashScope, vLLM, Ollama) reject.
 */
export type StructuredMethod = 'functionCalling' | 'jsonMode'

export interface ExtractorOptions {
  chat: BaseChatModel
  prompts: Prompts
  runtime: ModelRuntime
  logger: Logger
  method?: StructuredMethod
}

/** Structured extraction with `withStructuredOutput` and a zod schema built from the fields still open. */
export function createExtractor({ chat, prompts, runtime, logger, method = 'functionCalling' }: ExtractorOptions): Extractor {
  return {
    extract: async function extractFields(req) {
      if (!req.fields.length) return {}
      runtime.stats.requests++
      const refused = await runtime.admit(req.owner)
      if (refused) {
        runtime.fallback(refused)
        return {}
      }
      const schema = z.object(Object.fromEntries(req.fields.map((f) => [f.key, z.string().optional().describe(f.label)])))
      const structured = chat.withStructuredOutput(schema, { method, name: 'loss_report_fields', includeRaw: true })
      const prompt = await prompts.format('extract', {
        fields: req.fields.map((f) => `- ${f.key}：${f.label}`).join('\n'),
        today: req.today,
        // The rules read phones and credit codes exactly; the provider never sees them.
        text: maskPersonalData(req.text),
      })
      let parsed: Record<string, unknown> | null = null
      const r = await runtime.call(req.message, req.owner, async (signal) => {
        const out = (await structured.invoke([['human', prompt]], { signal })) as { raw: BaseMessage; parsed: Record<string, unknown> | null }
        parsed = out.parsed
        return out.raw
      })
      if (r.error) {
        runtime.fallback(r.error)
        return {}
      }
      const found = parsed as Record<string, unknown> | null
      if (!found) {
        // A malformed tool call or invalid JSON: the form simply asks its questions.
        runtime.fallback('empty')
        logger.info({ llm: 'extract-unparsed', ms: r.ms }, 'model extraction gave nothing usable')
        return {}
      }
      const out: Record<string, string> = {}
      for (const f of req.fields) {
        const v = found[f.key]
        if (typeof v === 'string' && v.trim()) out[f.key] = v.trim()
      }
      logger.info({ llm: 'extracted', ms: r.ms, fields: Object.keys(out) }, 'model extraction')
      return out
    },
  }
}
