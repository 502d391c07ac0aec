/**
 * The client's address for per-client limits. `socket` is the peer of the TCP connection; with `trustProxy`
 * reverse proxies in front (each appending the address it saw to X-Forwarded-For), the client is the entry that
 * many places from the right of [...X-Forwarded-For, socket]. Entries further left were written by the client
 * itself and are never believed. Without a socket address (in-process requests), "unknown".
 */
export function clientAddress(socket: string | undefined, forwardedFor: string | undefined, trustProxy: number): string {
  const chain = [...(forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean), ...(socket ? [socket] : [])]
  if (!chain.length) return 'unknown'
  // More proxies configured than the request passed through: the leftmost is the best we know.
  const picked = chain[Math.max(0, chain.length - 1 - trustProxy)]!
  return picked.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '').slice(0, 64)
}
