/**
 * The value of one sample in a Prometheus text exposition (`GET /metrics`): the line of metric
 * `name` whose labels include every one of `labels`. Undefined when there is none; the first
 * match when several are (give enough labels to name one series).
 */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line)
    if (!match || match[1] !== name) continue
    const found = parseLabels(match[2] ?? '')
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3])
  }
  return undefined
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
  return labels
}
