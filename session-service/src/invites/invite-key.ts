import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'

/** Characters a configured key must have at least (a generated one is 43: 32 random bytes in base64url). */
export const MIN_INVITE_SECRET_CHARS = 32

export interface InviteSecretSource {
  /** The key itself (INVITE_SECRET); wins over the file. */
  value: string
  /** A file holding the key (INVITE_SECRET_FILE), created when missing. */
  file: string
}

/**
 * The key invite links are signed with: INVITE_SECRET, else the contents of INVITE_SECRET_FILE
 * (the first replica to start writes a random one), else a random key of this process alone,
 * with a warning, since its links die with it and fail on every other replica.
 */
export async function loadInviteKey(source: InviteSecretSource, log: Pick<FastifyBaseLogger, 'warn' | 'info'>): Promise<Buffer> {
  if (source.value) return checked(source.value, 'INVITE_SECRET')
  if (source.file) return checked(await readOrCreateSecretFile(source.file, log), `INVITE_SECRET_FILE (${source.file})`)
  log.warn('neither INVITE_SECRET nor INVITE_SECRET_FILE is set: invite links are signed with a key of this process only; they stop working on restart and on other replicas')
  return randomBytes(32)
}

/**
 * Reads the key file, or creates it. Replicas starting together race to create it, so the
 * secret is written to a private temporary file first and then hard-linked to its name: the
 * link either creates the name with the complete contents or fails because another replica
 * won, and then that replica's file (complete too) is read. Nobody ever reads a half-written key.
 */
export async function readOrCreateSecretFile(file: string, log: Pick<FastifyBaseLogger, 'info'>): Promise<string> {
  const existing = await readIfExists(file)
  if (existing !== null) return existing
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const secret = randomBytes(32).toString('base64url')
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temporary, `${secret}\n`, { flag: 'wx', mode: 0o600 })
  try {
    await link(temporary, file)
    log.info({ file }, 'created the invite key file')
    return secret
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return (await readIfExists(file)) ?? ''
  } finally {
    await rm(temporary, { force: true })
  }
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

function checked(secret: string, from: string): Buffer {
  if (secret.length < MIN_INVITE_SECRET_CHARS) throw new Error(`${from} must hold at least ${MIN_INVITE_SECRET_CHARS} characters`)
  return Buffer.from(secret, 'utf8')
}
