import assert from 'node:assert/strict';
import { it } from 'node:test';
import { addressGroup } from './throttle.js';

it('counts IPv4 addresses one by one and IPv6 addresses by their /64', () => {
  assert.equal(addressGroup('203.0.113.7'), '203.0.113.7');
  assert.equal(addressGroup('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(addressGroup('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(addressGroup('2001:db8:1:2::9'), '2001:db8:1:2::/64');
  assert.equal(addressGroup('2001:0db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressGroup('::1'), '0:0:0:0::/64');
});
