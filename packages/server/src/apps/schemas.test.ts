import assert from 'node:assert/strict';
import { it } from 'node:test';
import { originProblem, redirectUrlProblem } from './schemas.js';

it('accepts https, loopback http, custom schemes and query strings as redirect URLs', () => {
  for (const url of [
    'https://app.example.com/cb',
    'https://app.example.com/cb?a=1&b=two',
    'http://localhost:8080/cb',
    'http://127.0.0.1/cb',
    'http://[::1]:3000/cb',
    'myapp://callback',
    'com.example.app:/oauth2redirect',
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop/cb.html',
    'https://xn--pple-43d.com/cb',
  ]) {
    assert.equal(redirectUrlProblem(url), undefined, url);
  }
});

it('refuses redirect URLs that could mislead or leave the app', () => {
  const cases: [string, RegExp][] = [
    ['http://app.example.com/cb', /must use https/],
    ['HTTP://localhost.evil.com/cb', /must use https/],
    ['https://app.example.com/cb#x', /fragment/],
    ['/relative/cb', /absolute URL/],
    ['https://good.example@evil.example/cb', /user name or password/],
    ['https://evil.example\\@good.example', /URL characters/],
    ['https:evil.example', /must start with https:\/\//],
    ['https://аpple.com/cb', /URL characters/],
    ['https://a.example:0/cb', /port 0/],
    ['javascript://alert(1)', /javascript: scheme/],
    ['JavaScript://x', /javascript: scheme/],
    ['intent://x/', /intent: scheme/],
    ['jar:https://x!/', /jar: scheme/],
    ['myapp://x/"><svg/onload=alert(1)>', /URL characters/],
    ['https://a.example/\u0000', /URL characters/],
    ['https://a.example/ cb', /URL characters/],
  ];
  for (const [url, message] of cases) assert.match(redirectUrlProblem(url) ?? 'accepted', message, url);
});

it('accepts bare origins only', () => {
  assert.equal(originProblem('https://app.example.com'), undefined);
  assert.equal(originProblem('http://localhost:3000'), undefined);
  assert.equal(originProblem('chrome-extension://abcdefghijklmnop'), undefined);
  for (const bad of [
    'https://app.example.com/',
    'https://app.example.com/path',
    'http://app.example.com',
    'myapp://a\u0007b',
    'HTTPS://App.example.com',
  ]) {
    assert.notEqual(originProblem(bad), undefined, bad);
  }
});
