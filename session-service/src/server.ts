import { ConfigError, runServer } from '@tandem/service-kit'
import { buildApp } from './app.ts'
import { loadSessionConfig, type SessionConfig } from './config.ts'

let config: SessionConfig
try {
  config = loadSessionConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(`session-service: ${err.message}`)
  process.exit(1)
}

const app = await buildApp(config)
// The grace covers the drain (delay, then the spread of socket closes) and the close after it.
const graceMs = config.drain.delayMs + config.drain.spreadMs + 10_000
await runServer(app, { port: config.port, host: config.host, graceMs, drain: () => app.drain() })
