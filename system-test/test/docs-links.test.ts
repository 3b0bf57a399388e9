import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import {
  anchorOf,
  commandsIn,
  documentationFiles,
  parseMarkdown,
  pathExists,
  pathsIn,
  repoRoot,
  resolveLink,
  workspaceDirs,
} from './fixtures/markdown-references.ts'

// Checks that the documentation stands on its own: every link leads somewhere in the repository,
// and every path, make target and npm script it names exists. Runs on files only (no services).

const files = documentationFiles()
const parsed = new Map(files.map((file) => [file, parseMarkdown(file)]))
const workspaces = workspaceDirs()
const packageJson = (dir: string) => JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { name: string; scripts?: Record<string, string> }
const workspaceByName = new Map(workspaces.map((dir) => [packageJson(dir).name, dir]))
const makeTargets = [...readFileSync(join(repoRoot, 'Makefile'), 'utf8').matchAll(/^([a-z][\w%-]*):/gm)].map((m) => m[1]!)
const isMakeTarget = (name: string) => makeTargets.some((target) => (target.endsWith('%') ? name.startsWith(target.slice(0, -1)) : target === name))

const report = (broken: string[]) => (broken.length === 0 ? 'none' : `\n  ${broken.join('\n  ')}`)

t.test('the documents checked: README.md, docs/, the workspace READMEs', async (t) => {
  t.ok(files.includes('README.md') && files.includes('docs/README.md') && files.includes('session-service/README.md'), files.join(', '))
})

t.test('every relative link leads to a file of the repository, and every #anchor to a heading', async (t) => {
  const broken: string[] = []
  for (const { links } of parsed.values()) {
    for (const link of links) {
      const target = resolveLink(link)
      if (!target) continue
      const where = `${link.file}:${link.line} → ${link.target}`
      if (!existsSync(join(repoRoot, target.path))) broken.push(`${where}: no such file`)
      else if (target.anchor && target.path.endsWith('.md')) {
        const headings = (parsed.get(target.path) ?? parseMarkdown(target.path)).headings.map(anchorOf)
        if (!headings.includes(target.anchor)) broken.push(`${where}: no heading #${target.anchor}`)
      }
    }
  }
  t.same(broken, [], `broken links: ${report(broken)}`)
})

t.test('every repository path named in code exists', async (t) => {
  const broken = [...parsed.values()].flatMap(({ code }) =>
    code.flatMap(({ file, line, text }) => pathsIn(text).filter((path) => !pathExists(path, file, workspaces)).map((path) => `${file}:${line}: ${path}`)),
  )
  t.same(broken, [], `missing paths: ${report(broken)}`)
})

t.test('every `make <target>` is a Makefile target and every `npm run <script>` a script of its package', async (t) => {
  const broken: string[] = []
  for (const { code } of parsed.values()) {
    for (const { file, line, text } of code) {
      for (const command of commandsIn(text, workspaceByName)) {
        const where = `${file}:${line}: ${command.kind} ${command.name}`
        if (command.kind === 'make' && !isMakeTarget(command.name)) broken.push(`${where}: no such Makefile target`)
        if (command.kind === 'npm run') {
          const dir = command.dir === '' ? '.' : command.dir
          if (!existsSync(join(repoRoot, dir, 'package.json'))) broken.push(`${where}: no package in ${dir}`)
          else if (!packageJson(dir).scripts?.[command.name]) broken.push(`${where}: no such script in ${join(dir, 'package.json')}`)
        }
      }
    }
  }
  t.same(broken, [], `unknown commands: ${report(broken)}`)
})
