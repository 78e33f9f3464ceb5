/**
 * Calls `task` until it resolves, and resolves to its result: 100 ms apart, at most `attempts`
 * times (default 100, about 10 seconds), then rejects with the last error. For a client that
 * reconnects in the background after its server restarts.
 */
export async function eventually<Result>(
  task: () => Promise<Result>,
  attempts = 100,
): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task()
    } catch (error) {
      if (attempt >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/**
 * Polls `check` every 100 ms until it resolves to true, at most `attempts` times (default 300,
 * about 30 seconds); a `check` that rejects counts as false. Then throws `Timed out waiting for
 * <what>`.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  attempts = 300,
): Promise<void> {
  await eventually(async () => {
    if (!(await check().catch(() => false))) throw new Error(`Timed out waiting for ${what}`)
  }, attempts)
}
