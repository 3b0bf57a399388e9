import { env as privateEnv } from '$env/dynamic/private'
import { env as publicEnv } from '$env/dynamic/public'
import { getRequestEvent } from '$app/server'
import { authClient, type AuthClient } from '../api/auth.ts'
import { profileClient, type ProfileClient } from '../api/profile.ts'
import { sessionClient, type SessionClient } from '../api/session.ts'
import { accessVerifier, type AccessVerifier } from './access-token.ts'
import { parseWebConfig, type WebConfig } from './config.ts'
import { RefreshCoordinator } from './refresh-coordinator.ts'
import { requestIdHeaders } from './request-id.ts'

export interface Services {
  config: WebConfig
  auth: AuthClient
  profiles: ProfileClient
  sessions: SessionClient
  verifyAccess: AccessVerifier
  refresher: RefreshCoordinator
}

let services: Services | undefined

/** The service clients of this web server, built from the environment on first use. */
export function getServices(): Services {
  if (services) return services
  // SvelteKit keeps PUBLIC_* variables (PUBLIC_SESSION_URL) out of the private set
  const config = parseWebConfig({ ...privateEnv, ...publicEnv })
  const headers = () => requestIdHeaders(currentRequestId())
  const auth = authClient({ baseUrl: config.authUrl, headers })
  services = {
    config,
    auth,
    profiles: profileClient({ baseUrl: config.profileUrl, headers }),
    sessions: sessionClient({ baseUrl: config.sessionUrl, headers }),
    verifyAccess: accessVerifier({ authUrl: config.authUrl, issuer: config.authIssuer }),
    refresher: new RefreshCoordinator((token) => auth.refresh(token)),
  }
  return services
}

/** The id of the request being handled (hooks.server.ts sets it first), if a call is made for one. */
function currentRequestId(): string | undefined {
  try {
    return getRequestEvent().locals.requestId
  } catch {
    // called outside a request
    return undefined
  }
}
