/**
 * Runs tasks one at a time per key, in arrival order: a contact's replies are said in the order they asked,
 * while other contacts are not held up. Keys with nothing waiting are forgotten.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const before = tails.get(key) ?? Promise.resolve()
      const result = before.then(task, task)
      const tail = result.then(
        () => undefined,
        () => undefined,
      )
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return result
    },
    /** Resolves once every task queued so far has finished. */
    async idle(): Promise<void> {
      while (tails.size) await Promise.all([...tails.values()])
    },
  }
}
