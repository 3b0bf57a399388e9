/** Grouped bar charts as plain SVG (no dependency): one panel per chart, side by side. */

export interface BarPanel {
  title: string
  yLabel: string
  /** One entry per group of bars along the x axis. */
  groups: Array<{ label: string; values: number[] }>
  /** Names and colours of the bars of each group, in the order of `values`. */
  series: Array<{ name: string; color: string }>
  /** A dashed horizontal line, e.g. a target. */
  reference?: { value: number; label: string }
  /** A logarithmic axis (powers of ten), for values spread over orders of magnitude. */
  log?: boolean
  format: (value: number) => string
}

const PANEL_WIDTH = 460
const HEIGHT = 340
const MARGIN = { top: 48, right: 16, bottom: 64, left: 60 }
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power
}

function panel(chart: BarPanel, x0: number): string {
  const width = PANEL_WIDTH - MARGIN.left - MARGIN.right
  const height = HEIGHT - MARGIN.top - MARGIN.bottom
  const values = chart.groups.flatMap((g) => g.values).filter((v) => Number.isFinite(v) && v > 0)
  const top = Math.max(...values, chart.reference?.value ?? 0)
  let y: (v: number) => number
  let ticks: number[]
  if (chart.log) {
    const low = 10 ** Math.floor(Math.log10(Math.min(...values, chart.reference?.value ?? Infinity)))
    const high = 10 ** Math.ceil(Math.log10(top * 1.05))
    const span = Math.log10(high) - Math.log10(low)
    y = (v) => MARGIN.top + height - ((Math.log10(Math.min(Math.max(v, low), high)) - Math.log10(low)) / span) * height
    ticks = Array.from({ length: span + 1 }, (_, i) => low * 10 ** i)
  } else {
    const max = niceMax(top * 1.08)
    y = (v) => MARGIN.top + height - (Math.min(v, max) / max) * height
    ticks = Array.from({ length: 5 }, (_, i) => (max / 4) * i)
  }
  const groupWidth = width / chart.groups.length
  const barWidth = (groupWidth * 0.7) / chart.series.length
  const parts: string[] = [`<g transform="translate(${x0},0)">`]
  parts.push(`<text x="${PANEL_WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600" ${FONT}>${escape(chart.title)}</text>`)
  for (const v of ticks) {
    const ty = y(v).toFixed(1)
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + width}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`)
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" ${FONT}>${escape(chart.format(v))}</text>`)
  }
  parts.push(`<text transform="translate(14,${MARGIN.top + height / 2}) rotate(-90)" text-anchor="middle" font-size="11" ${FONT}>${escape(chart.yLabel)}</text>`)
  chart.groups.forEach((group, g) => {
    const gx = MARGIN.left + g * groupWidth + groupWidth * 0.15
    group.values.forEach((v, s) => {
      if (!Number.isFinite(v) || v <= 0) return
      const bx = gx + s * barWidth
      parts.push(`<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(MARGIN.top + height - y(v)).toFixed(1)}" fill="${chart.series[s]!.color}"><title>${escape(`${group.label.replaceAll('\n', ' ')}, ${chart.series[s]!.name}: ${chart.format(v)}`)}</title></rect>`)
      parts.push(`<text x="${(bx + barWidth / 2 - 1).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="9" ${FONT}>${escape(chart.format(v))}</text>`)
    })
    group.label.split('\n').forEach((line, l) => {
      parts.push(`<text x="${(MARGIN.left + (g + 0.5) * groupWidth).toFixed(1)}" y="${MARGIN.top + height + 16 + l * 13}" text-anchor="middle" font-size="11" ${FONT}>${escape(line)}</text>`)
    })
  })
  if (chart.reference) {
    const ry = y(chart.reference.value).toFixed(1)
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + width}" y1="${ry}" y2="${ry}" stroke="#c0392b" stroke-dasharray="5,4"/>`)
    parts.push(`<text x="${MARGIN.left + width}" y="${Number(ry) - 4}" text-anchor="end" font-size="10" fill="#c0392b" ${FONT}>${escape(chart.reference.label)}</text>`)
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + width}" y1="${MARGIN.top + height}" y2="${MARGIN.top + height}" stroke="#333"/>`)
  chart.series.forEach((s, i) => {
    const lx = MARGIN.left + i * 130
    parts.push(`<rect x="${lx}" y="30" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="39" font-size="11" ${FONT}>${escape(s.name)}</text>`)
  })
  parts.push('</g>')
  return parts.join('\n')
}

export function barPanelsSvg(panels: BarPanel[], caption: string): string {
  const width = PANEL_WIDTH * panels.length
  const height = HEIGHT + 24
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels.map((p, i) => panel(p, i * PANEL_WIDTH)),
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" font-size="10" fill="#555" ${FONT}>${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n')
}
