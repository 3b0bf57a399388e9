/**
 * The pure session model shared by session-service and the browser: how events change a session,
 * where its video is at a given time, who may control it, and how an event goes on the wire.
 */
export { positionAt } from './playback.ts'
export { createdSession, evolveSession, assertNever, type SessionFields } from './evolve.ts'
export { controlRefusal, mayControl, isHostOrCoHost, type ControlRefusal } from './control.ts'
export { maySee, mayShareInvite } from './access.ts'
export { encodeEventFrame } from './frames.ts'
export { playingItemOf, queueWith, queueWithMoved, queueWithout, urlItem } from './media-queue.ts'
