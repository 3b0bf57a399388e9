import { randomBytes } from 'node:crypto'
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2'
import type { PasswordHashingConfig } from '../config.ts'

export interface PasswordHasher {
  hash(password: string): Promise<string>
  /** Constant-time check of `password` against a stored hash; false for a wrong password or a corrupt hash. */
  verify(passwordHash: string, password: string): Promise<boolean>
  /**
   * Does the work of `verify` against a hash no password matches and returns false, so that
   * signing in as an unknown user takes as long as a wrong password for a known one.
   */
  verifyUnknownUser(password: string): Promise<false>
  /** True when a stored hash was made with other parameters than the current ones. */
  needsRehash(passwordHash: string): boolean
}

// `Algorithm` is a const enum, which isolated modules cannot read: Argon2id is its value 2.
const ARGON2ID = 2 as Algorithm

export async function createPasswordHasher(config: PasswordHashingConfig): Promise<PasswordHasher> {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: config.memoryCostKib,
    timeCost: config.timeCost,
    parallelism: config.parallelism,
  }
  const hash = (password: string): Promise<string> => argon2Hash(password, options)
  const verify = async (passwordHash: string, password: string): Promise<boolean> => {
    try {
      return await argon2Verify(passwordHash, password)
    } catch {
      return false
    }
  }
  const dummyHash = await hash(randomBytes(32).toString('base64url'))
  return {
    hash,
    verify,
    async verifyUnknownUser(password) {
      await verify(dummyHash, password)
      return false
    },
    needsRehash: (passwordHash) => {
      const params = phcParameters(passwordHash)
      return (
        !passwordHash.startsWith('$argon2id$') ||
        params.m !== config.memoryCostKib ||
        params.t !== config.timeCost ||
        params.p !== config.parallelism
      )
    },
  }
}

/** The cost parameters of a PHC-format hash: `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
function phcParameters(passwordHash: string): Record<string, number> {
  const section = passwordHash.split('$')[3] ?? ''
  return Object.fromEntries(section.split(',').map((pair) => {
    const [key, value] = pair.split('=')
    return [key ?? '', Number(value)]
  }))
}
