import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'

export interface Child {
  readonly process: ChildProcess
  readonly pid: number
  /** The last lines it printed (stdout and stderr), for error messages. */
  output(): string
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  readonly exited: Promise<number | string>
  /** Resolves on the first line matching `pattern`; rejects if it exits first or `timeoutMs` passes. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>
  /**
   * Asks a child started with `ipc` to finish with `message` (it closes what it holds and exits);
   * stops it if it has not exited within `graceMs`. Resolves once it has exited.
   */
  closeWith(message: object, graceMs?: number): Promise<void>
}

const KEEP_LINES = 40

/** Starts a process whose output is kept (not shown) and which is stopped with the benchmark. */
export function startChild(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; ipc?: boolean } = {}): Child {
  const stdio: StdioOptions = options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe']
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio })
  const lines: string[] = []
  const lineWaiters = new Set<(line: string) => void>()
  let exitedWith: number | string | undefined
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown'
      resolve(exitedWith)
    })
    child.on('error', (err) => {
      lines.push(String(err))
      exitedWith = 'spawn error'
      resolve(exitedWith)
    })
  })
  stopWithParent(child)
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue
      lines.push(line)
      if (lines.length > KEEP_LINES) lines.shift()
      for (const waiter of lineWaiters) waiter(line)
    }
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  async function stop(graceMs = 10_000): Promise<void> {
    if (exitedWith !== undefined) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
  const name = `${command.split('/').pop()} ${args.filter((a) => !a.startsWith('-')).slice(-1)[0] ?? ''}`.trim()

  return {
    process: child,
    pid: child.pid ?? -1,
    output: () => lines.join('\n'),
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms\n${lines.join('\n')}`)), timeoutMs)
        const waiter = (line: string) => {
          const match = pattern.exec(line)
          if (match) finish(null, match)
        }
        const finish = (err: Error | null, match?: RegExpMatchArray) => {
          clearTimeout(timer)
          lineWaiters.delete(waiter)
          if (err) reject(err)
          else resolve(match!)
        }
        for (const line of lines) {
          const match = pattern.exec(line)
          if (match) return finish(null, match)
        }
        lineWaiters.add(waiter)
        void exited.then((code) => finish(new Error(`${name} exited (${code}) before printing ${pattern}\n${lines.join('\n')}`)))
      })
    },
    stop,
    async closeWith(message, graceMs = 10_000) {
      if (child.connected) child.send(message)
      const timer = setTimeout(() => void stop(), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

const running = new Set<ChildProcess>()
let hooked = false

/** A benchmark that crashes or is interrupted does not leave servers behind. */
function stopWithParent(child: ChildProcess): void {
  running.add(child)
  child.on('exit', () => running.delete(child))
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const c of running) c.kill('SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const c of running) c.kill('SIGTERM')
      process.exit(130)
    })
  }
}
