import { join } from 'node:path'
import { startChild, type Child } from '../lib/child-process.ts'
import { benchRoot } from '../lib/output.ts'

/** Starts bare-broadcast-server.ts as its own process on a free port. */
export async function startBareBroadcastServer(): Promise<{ url: string; child: Child; stop(): Promise<void> }> {
  const child = startChild(process.execPath, ['--import', 'tsx', join(benchRoot, 'src/baselines/bare-broadcast-server.ts'), '0'], { cwd: benchRoot })
  const [, port] = await child.waitForLine(/^listening (\d+)/)
  return { url: `ws://127.0.0.1:${port}`, child, stop: () => child.stop() }
}
