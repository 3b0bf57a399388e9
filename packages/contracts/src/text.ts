/**
 * Length in Unicode code points, as every Tandem limit counts text (an emoji is one character),
 * so a form, a service and the decider agree on what "120 characters" allows.
 */
export function charCount(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
