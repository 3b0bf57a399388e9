import { randomUUID } from 'node:crypto'
import { AppError } from '@tandem/service-kit'
import { uniqueViolation, type Queryable } from '../db/pool.ts'

export interface User {
  id: string
  email: string
  displayName: string
}

export interface UserWithPassword extends User {
  passwordHash: string
}

export interface NewUser {
  email: string
  displayName: string
  passwordHash: string
}

const userColumns = 'id, email, display_name AS "displayName"'

/** Inserts a user; a taken e-mail address (in any letter case) is a 409 `email_taken`. */
export async function insertUser(db: Queryable, user: NewUser): Promise<User> {
  try {
    const { rows } = await db.query<User>(
      `INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${userColumns}`,
      [randomUUID(), user.email, user.displayName, user.passwordHash],
    )
    return rows[0]!
  } catch (err) {
    if (uniqueViolation(err) === 'users_email_key') {
      throw new AppError(409, 'email_taken', 'an account with this e-mail address already exists')
    }
    throw err
  }
}

/** Finds a user by e-mail address, ignoring letter case. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserWithPassword | undefined> {
  const { rows } = await db.query<UserWithPassword>(
    `SELECT ${userColumns}, password_hash AS "passwordHash" FROM users WHERE lower(email) = lower($1)`,
    [email],
  )
  return rows[0]
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  if (!uuidPattern.test(id)) return undefined
  const { rows } = await db.query<User>(`SELECT ${userColumns} FROM users WHERE id = $1`, [id])
  return rows[0]
}

export async function updatePasswordHash(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash])
}
