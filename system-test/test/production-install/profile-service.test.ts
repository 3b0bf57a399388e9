import t from 'tap'
import { checkImageRuntime, rehearsalSkip } from '../fixtures/production-install.ts'

// a production npm ci can take minutes on a busy machine: longer than the suite's per-file limit
t.setTimeout(300_000)

t.test("profile-service's image starts as its non-root user, with compose.yaml's environment and volumes", { timeout: 300_000, skip: rehearsalSkip }, (t) =>
  checkImageRuntime(t, 'profile-service'),
)
