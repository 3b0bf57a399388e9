/**
 * Preloaded into a process under measurement (`node --expose-gc --import <this file> …`) that
 * was started with an IPC channel: on the message `memory` it collects garbage fully and answers
 * with `process.memoryUsage()`. Changes nothing else in the process.
 */
const collect = (globalThis as { gc?: () => void }).gc

if (process.send) {
  process.on('message', (message) => {
    if (message !== 'memory') return
    // Two passes: the first may only schedule finalisation of what it freed.
    collect?.()
    collect?.()
    process.send!(process.memoryUsage())
  })
  // Adding the listener referenced the channel; the probe must not keep the process alive.
  process.channel?.unref()
}
