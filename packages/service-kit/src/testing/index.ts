export { createTestDatabase, adminDatabaseUrl, type TestDatabase } from './test-database.ts'
export { startTestIssuer, type TestIssuer } from './test-issuer.ts'
export { startNatsServer, randomNamespace, freePort, type TestNatsServer } from './nats-server.ts'
export { waitFor } from './wait-for.ts'
