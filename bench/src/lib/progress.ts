/** One-line progress on stderr, so stdout stays the figures. */
export function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) {
    if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stderr.write(`  ${label}: ${done}/${total}\n`)
    return
  }
  process.stderr.write(`\r  ${label}: ${done}/${total}${done === total ? '\n' : ''}`)
}
