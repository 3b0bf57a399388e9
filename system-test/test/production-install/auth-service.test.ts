import t from 'tap'
import { checkProductionInstall } from '../fixtures/production-install.ts'

t.test('auth-service runs from its production dependencies alone', { timeout: 240_000 }, (t) =>
  checkProductionInstall(t, 'auth-service', (db) => ({ DATABASE_URL: db, AUTH_ISSUER: 'http://127.0.0.1:4001' })),
)
