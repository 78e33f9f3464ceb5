/** A duration given in nanoseconds, in ns, µs or ms as fits. */
export function formatNanoseconds(value: number): string {
  if (value < 1_000) return `${value.toFixed(value < 100 ? 1 : 0)} ns`
  if (value < 1_000_000) return `${(value / 1_000).toFixed(value < 10_000 ? 2 : 1)} µs`
  return `${(value / 1_000_000).toFixed(2)} ms`
}

/** A duration given in milliseconds. */
export function formatMilliseconds(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`
}

/** A rate given per second. */
export function formatRate(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)}k/s` : `${value.toFixed(0)}/s`
}

/** A size given in bytes. */
export function formatBytes(value: number): string {
  return value >= 10_240 ? `${(value / 1024).toFixed(1)} KiB` : `${value.toFixed(0)} B`
}

/** A fraction as a percentage. */
export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`
}
