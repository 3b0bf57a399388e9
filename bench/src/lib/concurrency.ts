import { progress } from './progress.ts'

/** Runs `fn` over `items` with at most `limit` at a time, showing progress under `label`. */
export async function forEachLimited<T, R>(items: readonly T[], limit: number, label: string, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let done = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index]!, index)
      progress(label, ++done, items.length)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
