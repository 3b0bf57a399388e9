import t from 'tap'
import { loadConfig, ConfigError } from '../src/index.ts'

const schema = {
  type: 'object',
  required: ['DATABASE_URL'],
  properties: {
    DATABASE_URL: { type: 'string', minLength: 1 },
    PORT: { type: 'integer', default: 4001, minimum: 1, maximum: 65535 },
    LOG_LEVEL: { type: 'string', enum: ['info', 'debug', 'silent'], default: 'info' },
  },
} as const

t.test('coerces strings and applies defaults', async (t) => {
  const config = loadConfig<{ DATABASE_URL: string; PORT: number; LOG_LEVEL: string }>(schema, {
    DATABASE_URL: 'postgres://x',
    PORT: '5000',
  })
  t.same(config, { DATABASE_URL: 'postgres://x', PORT: 5000, LOG_LEVEL: 'info' })
})

t.test('names a missing variable', async (t) => {
  t.throws(() => loadConfig(schema, {}), new ConfigError('invalid configuration: DATABASE_URL is required'))
})

t.test('names a variable of the wrong type', async (t) => {
  t.throws(() => loadConfig(schema, { DATABASE_URL: 'x', PORT: 'abc' }), { name: 'ConfigError', message: /PORT must be integer/ })
})

t.test('lists allowed values of an enum', async (t) => {
  t.throws(() => loadConfig(schema, { DATABASE_URL: 'x', LOG_LEVEL: 'loud' }), {
    message: /LOG_LEVEL must be one of info, debug, silent/,
  })
})
