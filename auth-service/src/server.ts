import { ConfigError, runServer } from '@tandem/service-kit'
import { buildApp } from './app.ts'
import { loadAuthConfig, type AuthConfig } from './config.ts'

let config: AuthConfig
try {
  config = loadAuthConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(`auth-service: ${err.message}`)
  process.exit(1)
}

const app = await buildApp(config)
await runServer(app, { port: config.port, host: config.host })
