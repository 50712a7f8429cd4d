import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ipLiteral, isPublicAddress } from './addresses.js';

it('refuses private, loopback, link-local, CGNAT, multicast and unspecified IPv4 addresses', () => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
  ])
    assert.equal(isPublicAddress(a), false, a);
  for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1'])
    assert.equal(isPublicAddress(a), true, a);
});

it('refuses the same ranges in IPv6, and IPv4 addresses written as IPv6', () => {
  for (const a of [
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::5',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '::127.0.0.1',
    'fe80::1%eth0',
  ])
    assert.equal(isPublicAddress(a), false, a);
  for (const a of ['2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])
    assert.equal(isPublicAddress(a), true, a);
});

it('treats what is not an IP address as not public, and reads IP literals from URL hosts', () => {
  assert.equal(isPublicAddress('example.com'), false);
  assert.equal(ipLiteral('[::1]'), '::1');
  assert.equal(ipLiteral('127.0.0.1'), '127.0.0.1');
  assert.equal(ipLiteral('example.com'), undefined);
});
