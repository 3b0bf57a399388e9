import { parseArgs } from 'node:util'

type FlagValue = number | number[] | string | boolean

export interface FlagSpec {
  [name: string]: { default: FlagValue; help: string }
}

type Values<S extends FlagSpec> = { [K in keyof S]: S[K]['default'] extends number[] ? number[] : S[K]['default'] extends number ? number : S[K]['default'] extends boolean ? boolean : string }

/**
 * Command-line flags typed by their defaults: `--viewers 200,1000` for a list of numbers,
 * `--rate 5` for a number, `--profile` (or `--no-profile`) for a boolean. `--help` prints them and exits.
 */
export function parseFlags<S extends FlagSpec>(usage: string, spec: S, argv = process.argv.slice(2)): Values<S> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } }
  for (const [name, flag] of Object.entries(spec)) {
    options[name] = { type: typeof flag.default === 'boolean' ? 'boolean' : 'string' }
    // Node 20's parseArgs has no `allowNegative`: a boolean that defaults to true is turned off with --no-<name>.
    if (typeof flag.default === 'boolean') options[`no-${name}`] = { type: 'boolean' }
  }
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
  if (values.help) {
    const lines = Object.entries(spec).map(([name, flag]) => `  --${name.padEnd(18)} ${flag.help} (default: ${String(flag.default)})`)
    process.stdout.write(`${usage}\n\n${lines.join('\n')}\n`)
    process.exit(0)
  }
  const result: Record<string, FlagValue> = {}
  for (const [name, flag] of Object.entries(spec)) {
    const raw = values[name]
    if (values[`no-${name}`]) {
      result[name] = false
    } else if (raw === undefined) {
      result[name] = flag.default
    } else if (typeof flag.default === 'boolean') {
      result[name] = raw as boolean
    } else if (Array.isArray(flag.default)) {
      result[name] = String(raw).split(',').map((part) => toNumber(name, part))
    } else if (typeof flag.default === 'number') {
      result[name] = toNumber(name, String(raw))
    } else {
      result[name] = String(raw)
    }
  }
  return result as Values<S>
}

function toNumber(name: string, text: string): number {
  const value = Number(text.replaceAll('_', ''))
  if (!Number.isFinite(value)) throw new Error(`--${name}: "${text}" is not a number`)
  return value
}
