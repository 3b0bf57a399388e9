/** Small helpers for writing Markdown tables and Mermaid charts. */

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

export const ms = (v: number | undefined | null): string => (v === undefined || v === null || !Number.isFinite(v) ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} ms`)
export const int = (v: number): string => Math.round(v).toLocaleString('en')
export const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–')
export const verdict = (pass: boolean): string => (pass ? '✅ met' : '❌ missed')

/** A Mermaid bar chart (renders on GitHub and in most Markdown viewers). */
export function barChart(title: string, yLabel: string, bars: Array<[string, number]>): string {
  const max = Math.max(...bars.map(([, v]) => v))
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${bars.map(([l]) => `"${l}"`).join(', ')}]`,
    `  y-axis "${yLabel}" 0 --> ${Math.ceil(max * 1.1)}`,
    `  bar [${bars.map(([, v]) => v.toFixed(1)).join(', ')}]`,
    '```',
  ].join('\n')
}

/** A Mermaid line chart with one or more series over the same x values; values above `cap` are drawn at `cap`. */
export function lineChart(title: string, xLabel: string, xs: number[], yLabel: string, series: number[][], cap = Number.POSITIVE_INFINITY): string {
  series = series.map((s) => s.map((v) => Math.min(v, cap)))
  const max = Math.max(...series.flat())
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "${xLabel}" [${xs.map((x) => `"${x}"`).join(', ')}]`,
    `  y-axis "${yLabel}" 0 --> ${Math.ceil(max * 1.1)}`,
    ...series.map((s) => `  line [${s.map((v) => v.toFixed(1)).join(', ')}]`),
    '```',
  ].join('\n')
}
