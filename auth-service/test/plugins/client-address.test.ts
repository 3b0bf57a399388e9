import t from 'tap'
import { clientAddressKey } from '../../src/plugins/client-address.ts'

t.test('IPv4 addresses count one by one, IPv6 addresses per /64', async (t) => {
  t.equal(clientAddressKey('203.0.113.7'), '203.0.113.7')
  t.equal(clientAddressKey('::ffff:203.0.113.7'), '203.0.113.7', 'IPv4-mapped is the IPv4 client')
  t.equal(clientAddressKey('2001:db8:aa:bb:1:2:3:4'), '2001:db8:aa:bb::/64')
  t.equal(clientAddressKey('2001:0db8:00aa:00bb::9'), '2001:db8:aa:bb::/64', 'leading zeros do not matter')
  t.equal(clientAddressKey('2001:db8::1'), '2001:db8:0:0::/64', ':: expands')
  t.equal(clientAddressKey('::1'), '0:0:0:0::/64')
  t.equal(clientAddressKey('fe80::1%eth0'), 'fe80:0:0:0::/64', 'the zone is dropped')
})
