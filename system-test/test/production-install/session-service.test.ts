import t from 'tap'
import { checkProductionInstall } from '../fixtures/production-install.ts'

t.test('session-service runs from its production dependencies alone', { timeout: 240_000 }, (t) =>
  checkProductionInstall(t, 'session-service', (db, issuer) => ({ EVENT_STORE_URL: db, AUTH_ISSUER: issuer.issuer, AUTH_JWKS_URL: issuer.jwksUrl })),
)
