import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it, vi } from 'vitest'
import { DeadlineQueue } from './deadline-queue.ts'

/** How many timers keep this process alive (unref'd ones are not counted). */
function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
}

/**
 * Runs `body` in a Node process of its own, where `queue(ms)` makes a `DeadlineQueue`, and resolves
 * to its exit code and output once it exits by itself.
 */
function runQueueScript(body: string): Promise<{ code: number | null; output: string }> {
  let module = fileURLToPath(new URL('./deadline-queue.ts', import.meta.url))
  let script = `import { DeadlineQueue } from ${JSON.stringify(module)}
    let queue = (ms) => new DeadlineQueue(ms)
    ${body}`
  let child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

describe('DeadlineQueue', () => {
  it('times out the entries left unsettled, in the order they were added, each once', async () => {
    let queue = new DeadlineQueue(5)
    let fired: string[] = []
    let lastFired = new Promise<void>((resolve) => {
      queue.add(() => fired.push('first'))
      let second = queue.add(() => fired.push('second'))
      queue.add(() => {
        fired.push('third')
        resolve()
      })
      queue.settle(second)
    })
    await lastFired
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(fired).toEqual(['first', 'third'])
  })

  it('holds a timer that keeps the process alive only until every entry is settled, and again for the next entry', async () => {
    let before = pendingTimers()
    let queue = new DeadlineQueue(60_000)
    let entries = Array.from({ length: 3 }, () => queue.add(() => {}))
    expect(pendingTimers()).toBe(before + 1)
    // Settled out of order: the first one still holds the timer until it settles too.
    queue.settle(entries[2] as (typeof entries)[number])
    queue.settle(entries[1] as (typeof entries)[number])
    expect(pendingTimers()).toBe(before + 1)
    queue.settle(entries[0] as (typeof entries)[number])
    expect(pendingTimers()).toBe(before)
    let timedOut = new Promise<string>((resolve) => {
      let short = new DeadlineQueue(1)
      short.add(() => resolve('timed out'))
    })
    expect(await timedOut).toBe('timed out')
  })

  it('sets one timer for commands sent one at a time', () => {
    let queue = new DeadlineQueue(60_000)
    let platformSetTimeout = globalThis.setTimeout
    let timersSet = 0
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      timersSet++
      return platformSetTimeout(...args)
    }) as typeof setTimeout
    try {
      for (let n = 0; n < 1000; n++) queue.settle(queue.add(() => {}))
    } finally {
      globalThis.setTimeout = platformSetTimeout
    }
    expect(timersSet).toBe(1)
  })

  it('times out an entry added while the timer rests at its own deadline, not the earlier one the timer was set for', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      let queue = new DeadlineQueue(40)
      queue.settle(queue.add(() => {}))
      vi.advanceTimersByTime(20)
      let fired = false
      queue.add(() => {
        fired = true
      })
      vi.advanceTimersByTime(39)
      expect(fired).toBe(false)
      vi.advanceTimersByTime(1)
      expect(fired).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps a process alive while an entry is live, and not once none is', async () => {
    // Settled at once: the timer, left to run out in 60 s, must not hold the process.
    let idle = await runQueueScript(`let q = queue(60_000)
      q.settle(q.add(() => {}))`)
    expect(idle).toEqual({ code: 0, output: '' })
    // An entry added while the timer rests keeps the process alive until it times out.
    let live = await runQueueScript(`let q = queue(1000)
      q.settle(q.add(() => {}))
      setImmediate(() => q.add(() => console.log('timed out')))`)
    expect(live).toEqual({ code: 0, output: 'timed out\n' })
  })

  it('sets a timer of its own when a test swaps fake timers in or out while it rests', async () => {
    // Set under fake timers, which are then removed: their clock never moves again.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    let queue = new DeadlineQueue(5)
    queue.settle(queue.add(() => {}))
    vi.useRealTimers()
    await new Promise<void>((resolve) => queue.add(resolve))
    // Set with the real timers, then fake ones installed: the test's clock times it out.
    queue.settle(queue.add(() => {}))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      let fired = false
      queue.add(() => {
        fired = true
      })
      vi.advanceTimersByTime(5)
      expect(fired).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('waits out a timeout longer than a timer takes instead of firing at once', async () => {
    let warnings: Error[] = []
    let record = (warning: Error) => void warnings.push(warning)
    process.on('warning', record)
    try {
      let queue = new DeadlineQueue(2 ** 40)
      let fired = false
      let entry = queue.add(() => {
        fired = true
      })
      // Node fires a timer of more than 2^31 - 1 ms after 1 ms, with a TimeoutOverflowWarning.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect([fired, warnings.map((warning) => warning.name)]).toEqual([false, []])
      queue.settle(entry)
    } finally {
      process.off('warning', record)
    }
  })

  it('times out exactly the entries left unsettled after a long run of commands settled in turn', async () => {
    let queue = new DeadlineQueue(30)
    let fired: number[] = []
    let added = 0
    let add = () => {
      let n = added++
      return { n, entry: queue.add(() => fired.push(n)) }
    }
    // Ten in flight at a time, each settled as the next is sent, as a busy connection does.
    let inFlight = Array.from({ length: 10 }, add)
    for (let n = 0; n < 20_000; n++) {
      queue.settle((inFlight.shift() as (typeof inFlight)[number]).entry)
      inFlight.push(add())
    }
    let left = inFlight.map(({ n }) => n)
    await new Promise<void>(function wait(resolve) {
      if (fired.length >= left.length) resolve()
      else setTimeout(() => wait(resolve), 10)
    })
    expect(fired).toEqual(left)
  })
})

describe('DeadlineQueue behind a command that does not settle', () => {
  it('does not hold the commands settled after it until it times out', () => {
    setFlagsFromString('--expose-gc')
    let collect = runInNewContext('gc') as () => void
    let queue = new DeadlineQueue(60_000)
    let stalled = queue.add(() => {})
    collect()
    let before = process.memoryUsage().heapUsed
    for (let n = 0; n < 300_000; n++) queue.settle(queue.add(() => {}))
    collect()
    let grown = process.memoryUsage().heapUsed - before
    queue.settle(stalled)
    // Kept, they would take about 20 MB (an entry and its callback, 68 bytes each).
    expect(grown).toBeLessThan(4 * 1024 * 1024)
  })
})
