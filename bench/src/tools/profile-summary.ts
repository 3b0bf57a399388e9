/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): the functions with the most self time and the
 * most total time, by file and line, so that a hot spot can be named without opening DevTools.
 *
 *   node --import tsx bench/src/tools/profile-summary.ts <file.cpuprofile>… [--top 25]
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { repoRoot } from '../lib/output.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
const top = Number(values.top)

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  // Self time per node from the samples and the time between them.
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)))
  const totalUs = profile.endTime - profile.startTime
  const label = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame
    const where = url ? `${relative(repoRoot, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : ''
    return `${functionName || '(anonymous)'} ${where}`.trim()
  }
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!
    self.set(label(node), (self.get(label(node)) ?? 0) + us)
    // Inclusive time: once per distinct function on the stack.
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(byId.get(at)!)
      if (seen.has(l)) continue
      seen.add(l)
      total.set(l, (total.get(l) ?? 0) + us)
    }
  }
  const idle = [...self].filter(([l]) => l.startsWith('(idle)')).reduce((s, [, us]) => s + us, 0)
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`)
    for (const [l, us] of [...m].filter(([l]) => !l.startsWith('(idle)') && !l.startsWith('(root)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${l}`)
    }
  }
  console.log(`# ${file}\n${(totalUs / 1e6).toFixed(1)} s profiled, ${(((totalUs - idle) / totalUs) * 100).toFixed(0)} % busy`)
  print('self time', self)
  print('total time', total)
}
