import t from 'tap'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadInviteKey, readOrCreateSecretFile } from '../../src/invites/invite-key.ts'

function recordingLog() {
  const lines: Array<{ level: string; message: string }> = []
  const at = (level: string) => (...args: unknown[]) => void lines.push({ level, message: String(args.find((a) => typeof a === 'string')) })
  return { lines, log: { warn: at('warn'), info: at('info') } as never }
}

async function scratch(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-invite-key-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

t.test('INVITE_SECRET is the key as given, and wins over the file', async (t) => {
  const dir = await scratch(t)
  const { log, lines } = recordingLog()
  const secret = 'x'.repeat(40)
  const key = await loadInviteKey({ value: secret, file: join(dir, 'key') }, log)
  t.same(key, Buffer.from(secret))
  t.same(await readdir(dir), [], 'the file is not created')
  t.same(lines, [])
})

t.test('INVITE_SECRET_FILE: created with a random secret, mode 0600, then read as it is', async (t) => {
  const dir = await scratch(t)
  const file = join(dir, 'secrets', 'invite-secret')
  const { log } = recordingLog()
  const first = await loadInviteKey({ value: '', file }, log)
  t.equal(first.length, 43, '32 random bytes in base64url')
  t.equal((await stat(file)).mode & 0o777, 0o600)
  t.equal((await readFile(file, 'utf8')).trim(), first.toString())
  t.same(await loadInviteKey({ value: '', file }, log), first, 'the next replica reads the same key')
  t.equal((await stat(join(dir, 'secrets'))).mode & 0o777, 0o700, 'its directory is made, private')
  t.same(await readdir(join(dir, 'secrets')), ['invite-secret'], 'no temporary file is left behind')
})

t.test('replicas starting together all end up with the one key that was written', async (t) => {
  const dir = await scratch(t)
  const file = join(dir, 'invite-secret')
  const { log } = recordingLog()
  const secrets = await Promise.all(Array.from({ length: 20 }, () => readOrCreateSecretFile(file, log)))
  t.equal(new Set(secrets).size, 1)
  t.equal(secrets[0], (await readFile(file, 'utf8')).trim())
  t.same(await readdir(dir), ['invite-secret'])
})

t.test('a key file that is too short is refused', async (t) => {
  const dir = await scratch(t)
  const file = join(dir, 'invite-secret')
  await writeFile(file, 'short\n')
  await t.rejects(loadInviteKey({ value: '', file }, recordingLog().log), /at least 32 characters/)
})

t.test('neither set: a random key of this process, with a warning', async (t) => {
  const { log, lines } = recordingLog()
  const a = await loadInviteKey({ value: '', file: '' }, log)
  const b = await loadInviteKey({ value: '', file: '' }, log)
  t.equal(a.length, 32)
  t.not(a.toString('hex'), b.toString('hex'))
  t.equal(lines.length, 2)
  t.match(lines[0], { level: 'warn', message: /stop working on restart and on other replicas/ })
})
