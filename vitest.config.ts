import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

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
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        resolve: {
          // The same substitutions as wrangler.toml [alias].
          alias: { 'opencc-js': 'opencc-js/t2cn', 'csv-parse/sync': 'csv-parse/browser/esm/sync' },
        },
        test: { name: 'workerd', include: ['test/**/*.workerd.test.ts'] },
      },
    ],
  },
})
