/** Row of our memory storage under Deno: the baseline of the Deno table. */
export const denoMemoryRow = 'ours memory (Deno)'

/** Row of our Deno KV storage over a local KV file. */
export const denoKvRow = 'ours Deno KV (local file)'
