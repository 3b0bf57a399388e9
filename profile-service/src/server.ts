import { ConfigError, runServer } from '@tandem/service-kit'
import { loadProfileConfig } from './config.ts'
import { buildApp } from './app.ts'

try {
  const config = loadProfileConfig()
  const app = await buildApp(config)
  await runServer(app, { port: config.PORT, host: config.HOST })
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`profile-service: ${err.message}`)
  } else {
    console.error('profile-service failed to start:', err)
  }
  process.exit(1)
}
