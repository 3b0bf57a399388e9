/**
 * The floor for fan-out latency: a WebSocket server that stores nothing, checks nothing and
 * sends every frame it receives to every connected client. Run as its own process, like a
 * session-service replica: `node --import tsx bench/src/baselines/bare-broadcast-server.ts <port>`.
 * Prints `listening <port>` when ready.
 */
import { WebSocketServer, type WebSocket } from 'ws'

const port = Number(process.argv[2] ?? 0)
const server = new WebSocketServer({ port, host: '127.0.0.1' })
const clients = new Set<WebSocket>()

server.on('connection', (ws) => {
  clients.add(ws)
  ws.on('close', () => clients.delete(ws))
  ws.on('message', (data, isBinary) => {
    for (const client of clients) client.send(data, { binary: isBinary })
  })
})
server.on('listening', () => {
  const address = server.address()
  console.log(`listening ${typeof address === 'object' && address ? address.port : port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
