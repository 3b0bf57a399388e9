import { randomBytes } from 'node:crypto'
import * as argon2 from 'argon2'
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

export async function createPasswordHasher(config: PasswordHashingConfig): Promise<PasswordHasher> {
  const options: argon2.HashOptions = {
    type: argon2.argon2id,
    memoryCost: config.memoryCostKib,
    timeCost: config.timeCost,
    parallelism: config.parallelism,
  }
  const hash = (password: string): Promise<string> => argon2.hash(password, options)
  const verify = async (passwordHash: string, password: string): Promise<boolean> => {
    try {
      return await argon2.verify(passwordHash, password)
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
    needsRehash: (passwordHash) =>
      argon2.needsRehash(passwordHash, {
        memoryCost: config.memoryCostKib,
        timeCost: config.timeCost,
        parallelism: config.parallelism,
      }),
  }
}
