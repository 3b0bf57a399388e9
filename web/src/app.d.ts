import type { SignedInUser } from '$lib/server/access-token.ts'

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string
      code?: string
    }
    interface Locals {
      /** this request's id (`x-request-id`), sent on every call to a service made for it */
      requestId: string
      user: SignedInUser | null
      /** a valid access token for calls to the services on behalf of `user` */
      accessToken: string | null
      /** when `accessToken` expires, ms since the epoch */
      accessTokenExpiresAt: number | null
    }
  }
}

export {}
