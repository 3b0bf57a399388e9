/**
 * The part of a client address that identifies one client for rate limiting: an IPv4 address
 * as it is (also when IPv4-mapped), an IPv6 address by its /64 prefix, since one client
 * usually holds a whole /64 and could otherwise rotate through it.
 */
export function clientAddressKey(ip: string): string {
  const address = ip.replace(/%.*$/, '')
  if (address.includes('.')) return address.replace(/^::ffff:/i, '')
  const [head = '', tail] = address.split('::')
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail ? tail.split(':') : []
  const zeros = tail === undefined ? [] : new Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0')
  const groups = [...headGroups, ...zeros, ...tailGroups]
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}
