// htmx, bundled into the Worker as a text module (wrangler.toml [[rules]] type = "Text"): its source, served by
// the console at /console/assets/htmx.min.js as on Node (where deps.ts reads the same file).
declare module 'htmx.org/dist/htmx.min.js' {
  const source: string
  export default source
}
