import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// Node test files that also run inside workerd, unchanged: test/helpers/bot.ts is swapped for
// test/worker-helpers/bot.ts (bundled knowledge, Intl segmenter), so they check the Worker answers as on Node.
// Left out: tests that read files, start servers or processes, or need Redis or a model (Node-only by nature).
const ALSO_ON_WORKERD = [
  'alternatives', 'claim-form', 'claim', 'conversation', 'coverage-english', 'coverage-followups', 'coverage',
  'eligibility-vague', 'eligibility', 'engine-store-down', 'engine', 'exactly-once', 'http-chat', 'loss-advice',
  'outside-shenzhen', 'payout-groups', 'payout', 'policy-qa-english', 'policy-qa-gaps', 'policy-qa', 'verdict-safety', 'rag-retrieval',
  'robustness', 'worst-input', 'worker-golden', 'wechat/split', 'wechat/steps', 'wechat/xml',
].map((name) => `test/${name}.test.ts`)

const WORKERD_SETUP = 'test/worker-helpers/global-setup.ts'
const NOTIFY_TEST = 'test/worker-notify.workerd.test.ts'
const WORKERD_ALIASES = [
  // The same substitutions as wrangler.toml [alias].
  { find: /^opencc-js$/, replacement: 'opencc-js/t2cn' },
  { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' },
  { find: /^(\.\.?\/)+helpers\/bot\.js$/, replacement: fileURLToPath(new URL('./test/worker-helpers/bot.ts', import.meta.url)) },
]

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/**/*.workerd.test.ts'] },
      },
      // Tests that run inside workerd (Cloudflare's runtime), with the Worker and Durable Objects of wrangler.toml.
      {
        extends: true,
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { LOG_LEVEL: 'silent' } } })],
        resolve: { alias: WORKERD_ALIASES },
        test: { name: 'workerd', include: ['test/**/*.workerd.test.ts', ...ALSO_ON_WORKERD], exclude: [NOTIFY_TEST], globalSetup: [WORKERD_SETUP] },
      },
      // The same, with NOTIFY_WEBHOOK_URL set for the Durable Objects too: the ledger then delivers notices from its
      // alarm by itself, which the store contract (a store that only stores) must not see.
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { LOG_LEVEL: 'silent', NOTIFY_WEBHOOK_URL: inject('webhookUrl'), NOTIFY_RETRY_SECONDS: '1' } },
          })),
        ],
        resolve: { alias: WORKERD_ALIASES },
        test: { name: 'workerd-notify', include: [NOTIFY_TEST], globalSetup: [WORKERD_SETUP] },
      },
    ],
  },
})
