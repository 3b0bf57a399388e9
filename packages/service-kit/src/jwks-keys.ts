import { setTimeout as delay } from 'node:timers/promises'
import { fetchJwks } from './jwks-fetch.ts'

export interface JwksKeysOptions {
  /**
   * e.g. http://127.0.0.1:4001/.well-known/jwks.json, or a function giving it at the first fetch
   * (a server that checks tokens against its own JWKS knows its port only once it listens)
   */
  jwksUrl: string | (() => string)
  /** how long a fetched JWKS is used before it is fetched again (ms); also how long a refused kid stays refused */
  cacheTtlMs?: number
  /** at most one JWKS fetch per this many ms, however many unknown `kid`s arrive */
  unknownKidRefetchIntervalMs?: number
  /** how many unknown kids are remembered (waiting for a fetch, and refused after one) */
  maxTrackedKids?: number
}

/** The public key (PEM) that the `kid` of a token header names; rejects when there is none. */
export type PublicKeyLookup = (header: { kid?: unknown }) => Promise<string>

interface KeySet {
  pems: Map<string, string>
  fetchedAt: number
  /** which fetch this was (1, 2, …) */
  fetch: number
}

const unknownKey = () => new Error('token is signed with an unknown key')

/**
 * Signing keys from the issuer's JWKS, for a TTL, with key rotation, and safe from tokens that
 * name made-up `kid`s:
 *
 * - A token whose kid is in the current JWKS is answered from it.
 * - A kid not in it waits for the next fetch that starts after the kid was first seen (an issuer
 *   publishes a key before it signs with it, so that fetch is the answer) and is accepted or
 *   refused by what that fetch holds. Fetches run one at a time and at most one per
 *   `unknownKidRefetchIntervalMs`, whatever the number of distinct kids: every kid waiting
 *   shares the next fetch. So a flood of made-up kids cannot take a fresh key's turn (it waits
 *   at most one interval, never refused because a fetch happened recently), and cannot make
 *   the issuer serve more than one fetch per interval.
 * - A kid missing from a fetch that started after it was first seen is refused at once, without
 *   waiting, for a TTL (the negative cache), unless a later fetch holds it.
 * - When the JWKS is older than the TTL, the next token waits for a fresh one (so a key the
 *   issuer withdrew stops working); if that fetch fails, the old set serves up to another TTL.
 */
export function jwksPublicKeys(options: JwksKeysOptions): PublicKeyLookup {
  const ttl = options.cacheTtlMs ?? 5 * 60_000
  const interval = options.unknownKidRefetchIntervalMs ?? 1000
  const maxTracked = options.maxTrackedKids ?? 10_000
  let url: string | undefined
  const jwksUrl = () => (url ??= new URL(typeof options.jwksUrl === 'string' ? options.jwksUrl : options.jwksUrl()).href)

  let keys: KeySet | undefined
  let fetchesStarted = 0
  let lastFetchStartedAt = -Infinity
  let inFlight: { fetch: number; done: Promise<KeySet> } | undefined
  /** The fetch waiting for its turn, which every kid arriving meanwhile shares. */
  let queued: Promise<KeySet> | undefined
  /** Unknown kids: the number of fetches started when each was first seen. */
  const waiting = new Map<string, number>()
  /** Kids a fetch after their first sighting did not hold: when they were refused. */
  const refused = new Map<string, number>()

  function startFetch(): Promise<KeySet> {
    const fetch = ++fetchesStarted
    lastFetchStartedAt = Date.now()
    const done = fetchJwks(jwksUrl()).then(
      (pems) => {
        keys = { pems, fetchedAt: Date.now(), fetch }
        settleWaiting(fetch, pems)
        return keys
      },
      (err: unknown) => {
        for (const [kid, seenAt] of waiting) if (seenAt < fetch) waiting.delete(kid)
        throw err
      },
    )
    inFlight = { fetch, done }
    const finished = () => {
      if (inFlight?.fetch === fetch) inFlight = undefined
    }
    done.then(finished, finished)
    return done
  }

  /** The kids this fetch answers move to the negative cache unless it holds them. */
  function settleWaiting(fetch: number, pems: Map<string, string>): void {
    for (const kid of pems.keys()) refused.delete(kid)
    const now = Date.now()
    for (const [kid, seenAt] of waiting) {
      if (seenAt >= fetch) continue
      waiting.delete(kid)
      if (pems.has(kid)) continue
      refused.delete(kid)
      refused.set(kid, now)
      if (refused.size > maxTracked) refused.delete(refused.keys().next().value!)
    }
  }

  /** A fetch started after fetch number `after`: the one under way if it is, else the next one in turn. */
  function fetchAfter(after: number): Promise<KeySet> {
    if (inFlight && inFlight.fetch > after) return inFlight.done
    queued ??= (async () => {
      await inFlight?.done.catch(() => undefined)
      const wait = lastFetchStartedAt + interval - Date.now()
      if (wait > 0) await delay(wait)
      queued = undefined
      return startFetch()
    })()
    return queued
  }

  async function currentKeys(): Promise<KeySet> {
    const set = keys
    if (set && Date.now() - set.fetchedAt < ttl) return set
    try {
      return await fetchAfter(set?.fetch ?? 0)
    } catch (err) {
      if (set && Date.now() - set.fetchedAt < 2 * ttl) return set
      throw err
    }
  }

  function isRefused(kid: string): boolean {
    const at = refused.get(kid)
    if (at === undefined) return false
    if (Date.now() - at < ttl) return true
    refused.delete(kid)
    return false
  }

  return async function publicKeyFor(header) {
    // the JWKS address first: a server that cannot name it yet (not listening) answers that, whatever the token
    jwksUrl()
    const kid = header.kid
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200) throw new Error('token has no usable key id')
    const arrivedAfter = fetchesStarted
    const known = (await currentKeys()).pems.get(kid)
    if (known) return known
    if (isRefused(kid)) throw unknownKey()
    let seenAt = waiting.get(kid)
    if (seenAt === undefined) {
      seenAt = arrivedAfter
      // past the bound a kid still gets its answer, it is only not remembered for the negative cache
      if (waiting.size < maxTracked) waiting.set(kid, seenAt)
    }
    const pem = (await fetchAfter(seenAt)).pems.get(kid)
    if (pem) return pem
    throw unknownKey()
  }
}
