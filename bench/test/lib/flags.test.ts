import t from 'tap'
import { parseFlags } from '../../src/lib/flags.ts'

const spec = {
  viewers: { default: [200, 1000], help: 'counts' },
  rate: { default: 5, help: 'per second' },
  systems: { default: 'tandem,bare', help: 'which' },
  profile: { default: false, help: 'cpu profiles' },
}

t.test('flags take the type of their default', async (t) => {
  t.same(parseFlags('usage', spec, []), { viewers: [200, 1000], rate: 5, systems: 'tandem,bare', profile: false })
  t.same(parseFlags('usage', spec, ['--viewers', '100,1_000', '--rate', '2.5', '--systems', 'bare', '--profile']), {
    viewers: [100, 1000],
    rate: 2.5,
    systems: 'bare',
    profile: true,
  })
})

t.test('a bad number or an unknown flag is refused', async (t) => {
  t.throws(() => parseFlags('usage', spec, ['--rate', 'fast']), /--rate: "fast" is not a number/)
  t.throws(() => parseFlags('usage', spec, ['--viewers', '10,x']), /--viewers/)
  t.throws(() => parseFlags('usage', spec, ['--nope']), /Unknown option/)
})

t.test('a boolean that defaults to true is turned off with --no-<name>', async (t) => {
  const onByDefault = { diagnose: { default: true, help: 'diagnostics' } }
  t.same(parseFlags('usage', onByDefault, []), { diagnose: true })
  t.same(parseFlags('usage', onByDefault, ['--no-diagnose']), { diagnose: false })
  t.same(parseFlags('usage', onByDefault, ['--diagnose']), { diagnose: true })
})
