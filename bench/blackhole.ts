/**
 * Somewhere to put results a benchmark computes and does not need, so the engine cannot prove
 * them unused and skip the work.
 */
export const blackhole: { value: unknown } = { value: undefined }
