export const TIMEOUT: unique symbol = Symbol('timeout')

/** The work's result, or TIMEOUT once the budget is spent; the timer is cleared as soon as the work is done. */
export async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
