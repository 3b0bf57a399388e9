import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort, type NativeSystem } from '@tandem/service-kit/testing'

const webRoot = fileURLToPath(new URL('..', import.meta.url))

export interface RunningWeb {
  url: string
  /** what the server printed so far (its log lines) */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts the built web server (`node build`, run `npm run build -w @tandem/web` first) on a free
 * port and resolves once it listens. Its watch pages expose `window.tandemWatch` for measuring.
 */
export function startWeb(env: Record<string, string> = {}): Promise<RunningWeb> {
  const child: ChildProcess = spawn(process.execPath, ['build'], {
    cwd: webRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PUBLIC_TANDEM_TEST_PROBE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`web server did not start:\n${output}`)), 60_000)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill()
      reject(error)
    }
    child.once('exit', (code) => fail(new Error(`web server exited (${code}):\n${output}`)))
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const listening = /Listening on (http:\/\/\S+)/.exec(output)
      if (!listening) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      const url = (listening[1] as string).replace('0.0.0.0', '127.0.0.1')
      resolve({
        url,
        output: () => output,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

/**
 * A web server for a running system whose pages (and its own calls) talk to one session-service
 * replica directly, not through the balancer: tests whose viewers must be on different replicas
 * (what one sees has crossed NATS from the other) pin them this way instead of trusting the
 * balancer's choice.
 */
export async function startWebOnReplica(system: NativeSystem, replica: 1 | 2): Promise<RunningWeb> {
  const port = await freePort()
  return startWeb({
    PORT: String(port),
    ORIGIN: `http://127.0.0.1:${port}`,
    AUTH_URL: system.authUrl,
    AUTH_ISSUER: system.authUrl,
    PROFILE_URL: system.profileUrl,
    SESSION_URL: system.sessionUrls[replica - 1]!,
    PUBLIC_SESSION_URL: system.sessionUrls[replica - 1]!,
  })
}
