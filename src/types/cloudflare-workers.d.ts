// The runtime modules of Cloudflare Workers, typed from @cloudflare/workers-types' importable form, so the rest of
// the project keeps Node's globals (the ambient workers-types would replace fetch, Request and Response).
declare module 'cloudflare:workers' {
  import type { CloudflareWorkersModule } from '@cloudflare/workers-types/index.js'
  export const DurableObject: typeof CloudflareWorkersModule.DurableObject
  export type DurableObject<Env = unknown> = CloudflareWorkersModule.DurableObject<Env>
  /** The Worker's bindings (vitest-pool-workers tests read them here). */
  export const env: Record<string, unknown>
  /** The main Worker's exports (vitest-pool-workers: the Worker under test). */
  export const exports: { default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> } }
}

// Used by the workerd tests only (@cloudflare/vitest-pool-workers).
declare module 'cloudflare:test' {
  import type { DurableObjectState, DurableObjectStub, ExecutionContext } from '@cloudflare/workers-types/index.js'
  export function createExecutionContext(): ExecutionContext
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>
  export function runInDurableObject<O, R>(stub: DurableObjectStub, callback: (instance: O, state: DurableObjectState) => R | Promise<R>): Promise<R>
  export function runDurableObjectAlarm(stub: DurableObjectStub): Promise<boolean>
}

// Knowledge files bundled as text modules (wrangler.toml [[rules]] type = "Text").
declare module '*.md' {
  const text: string
  export default text
}
declare module '*.txt' {
  const text: string
  export default text
}
