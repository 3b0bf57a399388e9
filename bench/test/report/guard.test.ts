import t from 'tap'
import { baselineOf, compare, parseBaseline, renderBaseline } from '../../src/report/guard.ts'

t.test('the baseline block survives a round trip through the page', async (t) => {
  const baseline = baselineOf(
    [
      { key: 'fanout.n200.p50_ratio', value: 1.2345678, better: 'lower', target: 1.5 },
      { key: 'capacity.sockets_per_gib_heap', value: 90000, better: 'higher' },
    ],
    '2026-01-01T00:00:00.000Z',
  )
  const page = `# Benchmarks\n\nprose\n\n${renderBaseline(baseline)}`
  t.same(parseBaseline(page), baseline)
  t.equal(baseline.guarded['fanout.n200.p50_ratio']!.value, 1.235, 'values are rounded')
  t.equal(baseline.guarded['fanout.n200.p50_ratio']!.tolerance, 0.25)
  t.equal(parseBaseline('# no block here'), null)
})

t.test('a figure regresses beyond its tolerance, unless it still meets its target', async (t) => {
  const baseline = baselineOf(
    [
      { key: 'fanout.n200.p50_ratio', value: 1.2, better: 'lower', target: 1.5 },
      { key: 'fanout.n1000.p50_ratio', value: 1.0, better: 'lower', target: 1.5 },
      { key: 'capacity.sockets_per_gib_heap', value: 100_000, better: 'higher' },
      { key: 'append-throughput.adapter_vs_raw', value: 0.8, better: 'higher', target: 0.5 },
    ],
    'then',
  )
  const verdicts = (now: Array<[string, number]>) =>
    Object.fromEntries(compare(baseline, now.map(([key, value]) => ({ key, value, better: 'lower' as const }))).map((c) => [c.key, c.verdict]))

  t.same(
    verdicts([
      ['fanout.n200.p50_ratio', 1.6],
      ['fanout.n1000.p50_ratio', 1.4],
      ['capacity.sockets_per_gib_heap', 70_000],
      ['append-throughput.adapter_vs_raw', 0.45],
    ]),
    {
      'fanout.n200.p50_ratio': 'regressed',
      'fanout.n1000.p50_ratio': 'ok',
      'capacity.sockets_per_gib_heap': 'regressed',
      'append-throughput.adapter_vs_raw': 'regressed',
    },
    '1.6 > 1.2 × 1.25 and misses 1.5; 1.4 is 40 % worse but meets 1.5; memory has no target; 0.45 < 0.5',
  )
  t.same(
    verdicts([
      ['fanout.n200.p50_ratio', 1.45],
      ['capacity.sockets_per_gib_heap', 80_000],
    ]),
    { 'fanout.n200.p50_ratio': 'ok', 'fanout.n1000.p50_ratio': 'not measured', 'capacity.sockets_per_gib_heap': 'ok', 'append-throughput.adapter_vs_raw': 'not measured' },
  )
})
