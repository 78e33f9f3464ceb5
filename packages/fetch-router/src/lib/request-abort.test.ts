import { getEventListeners } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import type { Middleware } from './middleware.ts'
import { RequestAbort } from './request-abort.ts'
import { createRouter } from './router.ts'
import { afterSharedDelay } from './shared-delay.ts'

/** A promise and the function that resolves it: a step that waits until the test lets it go. */
function gate<Value = void>(): { promise: Promise<Value>; open: (value: Value) => void } {
  let open!: (value: Value) => void
  let promise = new Promise<Value>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

function requestFor(controller: AbortController): Request {
  return new Request('http://x.test/', { signal: controller.signal })
}

describe('router.fetch on an aborted request', () => {
  it('rejects with the abort reason as soon as the signal fires, while the handler still runs', async () => {
    let controller = new AbortController()
    let handlerWaits = gate()
    let afterHandler: string[] = []
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          let response = await next()
          afterHandler.push('router middleware resumed')
          return response
        },
      ],
      onError: () => void afterHandler.push('onError'),
    })
    router.get('/', async () => {
      await handlerWaits.promise
      return new Response('too late')
    })
    let answer = router.fetch(requestFor(controller))
    await Promise.resolve()
    controller.abort(new Error('client went away'))
    await expect(answer).rejects.toThrow('client went away')
    // The handler's promise is still pending: the rejection did not wait for it.
    handlerWaits.open()
    await handlerWaits.promise
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(afterHandler).toEqual([])
  })

  it('throws the abort reason out of await next(), where middleware can see it', async () => {
    let controller = new AbortController()
    let seen: unknown[] = []
    let watcher: Middleware = async (_context, next) => {
      try {
        return await next()
      } catch (error) {
        seen.push(error)
        return new Response('ignored: the request was aborted')
      }
    }
    let router = createRouter({ middleware: [watcher] })
    router.get('/', () => {
      queueMicrotask(() => controller.abort(new Error('gone')))
      return new Promise<Response>(() => {})
    })
    await expect(router.fetch(requestFor(controller))).rejects.toThrow('gone')
    expect(seen).toHaveLength(1)
    expect(String(seen[0])).toBe('Error: gone')
  })

  it('rejects when the last step aborts, even a synchronous handler that answers', async () => {
    let controller = new AbortController()
    let router = createRouter()
    router.get('/', () => {
      controller.abort(new Error('aborted while answering'))
      return new Response('ok')
    })
    await expect(router.fetch(requestFor(controller))).rejects.toThrow('aborted while answering')
  })
})

describe('router.fetch when a middleware aborts, or the request never starts', () => {
  it('rejects with the reason, not a misleading error, when a middleware aborts and returns nothing', async () => {
    let controller = new AbortController()
    let errors: unknown[] = []
    let router = createRouter({
      middleware: [
        (() => {
          controller.abort(new Error('stopped by middleware'))
        }) as unknown as Middleware,
      ],
      onError: (error) => void errors.push(error),
    })
    router.get('/', () => new Response('never'))
    await expect(router.fetch(requestFor(controller))).rejects.toThrow('stopped by middleware')
    expect(errors).toEqual([])
  })

  it('rejects with the reason when an async middleware aborts and then returns nothing', async () => {
    let controller = new AbortController()
    let reached: string[] = []
    let router = createRouter({
      middleware: [
        (async () => {
          controller.abort(new Error('aborted upstream'))
          await Promise.resolve()
        }) as unknown as Middleware,
        (_context, next) => {
          reached.push('second middleware')
          return next()
        },
      ],
    })
    router.get('/', () => {
      reached.push('handler')
      return new Response('never')
    })
    await expect(router.fetch(requestFor(controller))).rejects.toThrow('aborted upstream')
    expect(reached).toEqual([])
  })

  it('rejects a request aborted before it arrives, matched or not, without calling onError', async () => {
    let errors: unknown[] = []
    let router = createRouter({ onError: (error) => void errors.push(error) })
    router.get('/', () => new Response('home'))
    let reason = new Error('aborted before')
    for (let url of ['http://x.test/', 'http://x.test/missing']) {
      let request = new Request(url, { signal: AbortSignal.abort(reason) })
      await expect(router.fetch(request)).rejects.toBe(reason)
    }
    expect(errors).toEqual([])
  })

  it('adds one abort listener per request whatever the chain length, and removes it after', async () => {
    let during: number[] = []
    let pass: Middleware = async (_context, next) => next()
    let router = createRouter({ middleware: [pass, pass, pass] })
    router.get('/', async ({ request }) => {
      await Promise.resolve()
      during.push(getEventListeners(request.signal, 'abort').length)
      return new Response('ok')
    })
    let request = new Request('http://x.test/', { signal: new AbortController().signal })
    let response = await router.fetch(request)
    expect(await response.text()).toBe('ok')
    expect(during).toEqual([1])
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0)
  })

  it('answers as usual when the signal never fires', async () => {
    let controller = new AbortController()
    let router = createRouter({ middleware: [async (_context, next) => next()] })
    router.get('/', async () => new Response('home'))
    let response = await router.fetch('http://x.test/', { signal: controller.signal })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('home')
  })
})

describe('router.fetch on a request aborted before it arrives, without router middleware', () => {
  it.each([
    ['a 405', 'http://x.test/only-post', 'GET'],
    ['an automatic OPTIONS 204', 'http://x.test/only-post', 'OPTIONS'],
    ['a trailing-slash 308', 'http://x.test/only-post/', 'POST'],
  ])('rejects with the abort reason where it would answer %s', async (_what, url, method) => {
    let router = createRouter({ trailingSlash: 'redirect' })
    router.post('/only-post', () => new Response('posted'))
    let reason = new Error('aborted before')
    let answer = router.fetch(new Request(url, { method, signal: AbortSignal.abort(reason) }))
    await expect(answer).rejects.toBe(reason)
  })
})

describe('router.fetch when the request aborts while onError runs', () => {
  it('rejects with the abort reason at once, without waiting for onError', async () => {
    let controller = new AbortController()
    let hookWaits = gate()
    let router = createRouter({
      onError: async () => {
        controller.abort(new Error('gone during onError'))
        await hookWaits.promise
        return new Response('too late')
      },
    })
    router.get('/', () => {
      throw new Error('boom')
    })
    await expect(router.fetch(requestFor(controller))).rejects.toThrow('gone during onError')
    hookWaits.open()
  })
})

describe('a middleware that starts next() and awaits something else first', () => {
  it('does not turn an abort in between into an unhandled rejection', async () => {
    let unhandled: unknown[] = []
    let listener = (reason: unknown) => void unhandled.push(reason)
    process.on('unhandledRejection', listener)
    try {
      let controller = new AbortController()
      let audit = gate()
      let router = createRouter({
        middleware: [
          async (_context, next) => {
            let response = next()
            await audit.promise
            return response
          },
        ],
      })
      router.get('/', () => new Promise<Response>(() => {}))
      let answer = router.fetch(requestFor(controller))
      controller.abort(new Error('client went away'))
      await expect(answer).rejects.toThrow('client went away')
      // Unhandled rejections are reported after the microtask queue drains: let it drain twice.
      await new Promise((resolve) => setTimeout(resolve, 0))
      await new Promise((resolve) => setTimeout(resolve, 0))
      audit.open()
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', listener)
    }
  })
})

/**
 * A request as a Node server adapter such as `@hono/node-server` hands it over: an object whose
 * prototype chain reaches `Request.prototype`, with its own getters, and whose signal is made on
 * first read (there, an `AbortController` per request). Like `@hono/node-server` 1.x, it loses an
 * abort that comes before its signal exists. `signalReads` counts those reads, `listeners` the
 * signal's `abort` listeners.
 */
function adapterRequest(url: string) {
  let controller: AbortController | undefined
  let state = {
    signalReads: 0,
    abort: (reason: unknown) => controller?.abort(reason),
    listeners: () => (controller ? getEventListeners(controller.signal, 'abort').length : 0),
  }
  let request = requestWithSignalGetter(url, () => {
    state.signalReads++
    controller ??= new AbortController()
    return controller.signal
  })
  return { request, state }
}

/** Resolves once every task of the shared delay scheduled before this call has had its turn. */
function afterEarlierDelayedTasks(): Promise<void> {
  return new Promise((resolve) => afterSharedDelay({ run: resolve }))
}

/**
 * A request-like object of an adapter: its prototype chain reaches `Request.prototype`, with its
 * own getters, `signal` giving what `getSignal` gives (or throws).
 */
function requestWithSignalGetter(url: string, getSignal: () => unknown): Request {
  let platform = new Request(url)
  let prototype = Object.create(Request.prototype, {
    method: { get: () => platform.method },
    url: { get: () => platform.url },
    headers: { get: () => platform.headers },
    signal: { get: getSignal },
  })
  return Object.create(prototype) as Request
}

describe('router.fetch on a request whose signal is made on first read (a Node adapter)', () => {
  it('leaves the signal unmade when every step answers synchronously', async () => {
    let router = createRouter({ middleware: [(_context, next) => next()] })
    router.get('/users/:id', ({ params }) => new Response(`user ${params.id}`))
    let { request, state } = adapterRequest('http://x.test/users/7')
    let response = await router.fetch(request)
    expect(await response.text()).toBe('user 7')
    let missing = adapterRequest('http://x.test/nowhere')
    expect((await router.fetch(missing.request)).status).toBe(404)
    expect([state.signalReads, missing.state.signalReads]).toEqual([0, 0])
  })

  it('leaves the signal unmade when the steps settle on microtasks alone', async () => {
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          await Promise.resolve()
          let response = await next()
          return new Response(`${await response.text()} via middleware`)
        },
      ],
    })
    router.get('/', async () => {
      await Promise.resolve()
      return new Response('answered')
    })
    let { request, state } = adapterRequest('http://x.test/')
    let response = await router.fetch(request)
    expect(await response.text()).toBe('answered via middleware')
    expect(state.signalReads).toBe(0)
  })

  it('reads the signal before the first event when a step waits for one, and rejects when it aborts', async () => {
    let handlerWaits = gate()
    let resumed: string[] = []
    let router = createRouter({
      middleware: [
        async (_context, next) => {
          let response = await next()
          resumed.push('middleware')
          return response
        },
      ],
    })
    router.get('/', async () => {
      await handlerWaits.promise
      resumed.push('handler')
      return new Response('too late')
    })
    // This adapter loses an abort that comes before its signal is made: the signal must be there
    // before the first event (the one that aborts and lets the handler go on).
    let { request, state } = adapterRequest('http://x.test/')
    let answer = router.fetch(request)
    let readsBeforeEvent = -1
    setImmediate(() => {
      readsBeforeEvent = state.signalReads
      state.abort(new Error('client went away'))
      handlerWaits.open()
    })
    await expect(answer).rejects.toThrow('client went away')
    expect(readsBeforeEvent).toBe(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(resumed).toEqual(['handler'])
  })

  it('adds no listener while a step waits briefly, and adds none later once it settled', async () => {
    let router = createRouter()
    let listenersWhileWaiting = -1
    let { request, state } = adapterRequest('http://x.test/')
    router.get('/', async () => {
      await new Promise((resolve) => setImmediate(resolve))
      listenersWhileWaiting = state.listeners()
      return new Response('answered after an event')
    })
    let response = await router.fetch(request)
    expect(await response.text()).toBe('answered after an event')
    // The listener the step scheduled was dropped when it settled: it is not added at its turn.
    await afterEarlierDelayedTasks()
    expect([state.signalReads, listenersWhileWaiting, state.listeners()]).toEqual([1, 0, 0])
  })

  it('listens once a step has waited, and then rejects as soon as the request aborts', async () => {
    let router = createRouter()
    router.get('/', () => new Promise<Response>(() => {}))
    let { request, state } = adapterRequest('http://x.test/')
    let answer = router.fetch(request)
    await afterEarlierDelayedTasks()
    expect([state.signalReads, state.listeners()]).toEqual([1, 1])
    // Only the listener can end it: the handler never answers.
    state.abort(new Error('client went away'))
    await expect(answer).rejects.toThrow('client went away')
    expect(state.listeners()).toBe(0)
  })

  it('rejects with the abort reason, not onError, when a step that waited briefly throws after an abort', async () => {
    let errors: unknown[] = []
    let router = createRouter({ onError: (error) => void errors.push(error) })
    let { request, state } = adapterRequest('http://x.test/')
    router.get('/', async () => {
      await new Promise((resolve) => setImmediate(resolve))
      state.abort(new Error('client went away'))
      throw new Error('handler failed')
    })
    await expect(router.fetch(request)).rejects.toThrow('client went away')
    expect(errors).toEqual([])
  })

  it('answers 500 when the signal getter throws while a step waits', async () => {
    let errors: unknown[] = []
    let router = createRouter({
      onError: (error) => {
        errors.push(error)
      },
    })
    router.get('/', () => new Promise<Response>(() => {}))
    let request = requestWithSignalGetter('http://x.test/', () => {
      throw new Error('no signal here')
    })
    let response = await router.fetch(request)
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain('no signal here')
    expect(String(errors[0])).toBe('Error: no signal here')
  })
})

describe('router.fetch on an adapter request whose signal is no signal', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an object', {}],
    ['an object with aborted: false', { aborted: false }],
  ])(
    'fails the request, never the process, when it gives %s while a step waits',
    async (_, value) => {
      let uncaught: unknown[] = []
      let record = (error: unknown) => void uncaught.push(error)
      process.on('uncaughtException', record)
      try {
        let router = createRouter({ onError: () => undefined })
        router.get(
          '/',
          () =>
            new Promise<Response>((resolve) => setImmediate(() => resolve(new Response('late')))),
        )
        let settled = await router
          .fetch(requestWithSignalGetter('http://x.test/', () => value))
          .then(
            (response) => response.status,
            (error: unknown) => (error instanceof TypeError ? 'TypeError' : error),
          )
        expect(uncaught).toEqual([])
        // A 500, or for null (which no signal check can read) the TypeError: never the handler's 200,
        // though the step answers before the router would listen on the signal.
        expect([500, 'TypeError']).toContain(settled)
      } finally {
        process.off('uncaughtException', record)
      }
    },
  )
})

describe('router.fetch on a runtime without process.nextTick', () => {
  it("reads an adapter's signal at the first step that answers with a promise, and rejects when it aborts", async () => {
    let handlerWaits = gate()
    let router = createRouter()
    router.get('/', async () => {
      await handlerWaits.promise
      return new Response('too late')
    })
    let { request, state } = adapterRequest('http://x.test/')
    let runtime = process as { nextTick: unknown }
    let nextTick = runtime.nextTick
    let answer: Promise<Response>
    runtime.nextTick = undefined
    try {
      answer = router.fetch(request)
    } finally {
      runtime.nextTick = nextTick
    }
    expect(state.signalReads).toBe(1)
    state.abort(new Error('client went away'))
    await expect(answer).rejects.toThrow('client went away')
    handlerWaits.open()
  })
})

describe('router.fetch under fake timers', () => {
  it("still listens on an adapter's signal, during them and after they are uninstalled", async () => {
    let router = createRouter()
    router.get('/', () => new Promise<Response>(() => {}))
    let during = adapterRequest('http://x.test/')
    let after = adapterRequest('http://x.test/')
    vi.useFakeTimers()
    let answers: Promise<Response>[] = []
    try {
      answers.push(router.fetch(during.request))
      await new Promise((resolve) => process.nextTick(resolve))
    } finally {
      vi.useRealTimers()
    }
    answers.push(router.fetch(after.request))
    await afterEarlierDelayedTasks()
    expect([during.state.listeners(), after.state.listeners()]).toEqual([1, 1])
    during.state.abort(new Error('first client went away'))
    after.state.abort(new Error('second client went away'))
    await expect(answers[0]).rejects.toThrow('first client went away')
    await expect(answers[1]).rejects.toThrow('second client went away')
  })
})

describe('router.fetch on a step answering with a thenable whose then() throws', () => {
  it('answers 500 and leaves no abort listener on the signal', async () => {
    let controller = new AbortController()
    let router = createRouter({ onError: () => undefined })
    router.get(
      '/',
      () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the hostile thenable under test
          then() {
            throw new Error('then() threw')
          },
        }) as unknown as Promise<Response>,
    )
    let request = requestFor(controller)
    let response = await router.fetch(request)
    expect(response.status).toBe(500)
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0)
  })
})

describe('router.fetch on a platform Request aborted by a middleware that returned next()', () => {
  it('rejects with the abort reason rather than answering', async () => {
    let controller = new AbortController()
    let router = createRouter({
      middleware: [
        (_context, next) => {
          let response = next()
          controller.abort(new Error('aborted after next()'))
          return response
        },
      ],
    })
    router.get('/', () => new Response('answered'))
    await expect(router.fetch(requestFor(controller))).rejects.toThrow('aborted after next()')
  })
})

describe('router.fetch on request objects of adapters', () => {
  function abortedRequest(): Request {
    let controller = new AbortController()
    controller.abort(new Error('gone before'))
    return new Request('http://x.test/', { signal: controller.signal })
  }

  it('still rejects an aborted Request after an adapter object built on Request.prototype', async () => {
    let router = createRouter()
    router.get('/', () => new Response('root'))
    class Other extends Request {}
    expect((await router.fetch(new Other('http://x.test/'))).status).toBe(200)
    // Own getters on an object whose prototype is Request.prototype itself: the runtime's signal
    // getter refuses it, which must not decide for the real Requests sharing that prototype.
    let adapter = Object.create(Request.prototype) as Request
    Object.defineProperties(adapter, {
      method: { get: () => 'GET' },
      url: { get: () => 'http://x.test/' },
      headers: { get: () => new Headers() },
      signal: { get: () => new AbortController().signal },
    })
    expect((await router.fetch(adapter)).status).toBe(200)
    await expect(router.fetch(abortedRequest())).rejects.toThrow('gone before')
  })

  it('answers an adapter whose signal is made with Object.create(AbortSignal.prototype)', async () => {
    let signal = Object.create(AbortSignal.prototype, {
      aborted: { get: () => false },
      reason: { get: () => undefined },
      addEventListener: { value: () => {} },
      removeEventListener: { value: () => {} },
      throwIfAborted: { value: () => {} },
    }) as AbortSignal
    let router = createRouter()
    router.get('/', async () => new Response('ok'))
    expect(
      (await router.fetch(requestWithSignalGetter('http://x.test/', () => signal))).status,
    ).toBe(200)
  })
})

describe('RequestAbort with several steps pending at once', () => {
  it('rejects them in the order they began, after the first settled, and then stops listening', async () => {
    let controller = new AbortController()
    let abort = new RequestAbort(controller.signal)
    let [first, second, third] = [gate<string>(), gate<string>(), gate<string>()]
    let rejected: string[] = []
    let firstRace = abort.race(first.promise)
    let secondRace = abort.race(second.promise)
    first.open('first')
    expect(await firstRace).toBe('first')
    // The first is done, the second still pending: the third begins after it.
    let thirdRace = abort.race(third.promise)
    secondRace.catch(() => rejected.push('second'))
    thirdRace.catch(() => rejected.push('third'))
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    controller.abort(new Error('gone'))
    await expect(secondRace).rejects.toThrow('gone')
    await expect(thirdRace).rejects.toThrow('gone')
    expect(rejected).toEqual(['second', 'third'])
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    // Settling after the abort changes nothing.
    second.open('late')
    third.open('late')
    await expect(secondRace).rejects.toThrow('gone')
  })
})
