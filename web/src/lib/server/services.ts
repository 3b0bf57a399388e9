import { env as privateEnv } from '$env/dynamic/private'
import { env as publicEnv } from '$env/dynamic/public'
import { authClient, type AuthClient } from '../api/auth.ts'
import { profileClient, type ProfileClient } from '../api/profile.ts'
import { sessionClient, type SessionClient } from '../api/session.ts'
import { accessVerifier, type AccessVerifier } from './access-token.ts'
import { parseWebConfig, type WebConfig } from './config.ts'
import { RefreshCoordinator } from './refresh-coordinator.ts'

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
  const auth = authClient({ baseUrl: config.authUrl })
  services = {
    config,
    auth,
    profiles: profileClient({ baseUrl: config.profileUrl }),
    sessions: sessionClient({ baseUrl: config.sessionUrl }),
    verifyAccess: accessVerifier({ authUrl: config.authUrl, issuer: config.authIssuer }),
    refresher: new RefreshCoordinator((token) => auth.refresh(token)),
  }
  return services
}
