import type { EndReason } from '@tandem/contracts'

const WHY: Record<EndReason, string> = {
  host: 'The host ended it.',
  idle: 'It ended after everyone left.',
}

/** What the page says about an ended session, with why when the session knows (older ones do not). */
export function endedSentence(reason: EndReason | null): string {
  return reason ? `This session has ended. ${WHY[reason]}` : 'This session has ended.'
}
