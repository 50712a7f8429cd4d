import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { queryLimitsRule } from './limits.js';

const schema = buildSchema(`
  type Query { a: A, customEvents(first: Int): Page }
  type A { b: A, id: ID }
  type Page { nodes: [A] }
`);
const limits = { depth: 4, aliases: 2, cost: 60 };
const errors = (query: string) =>
  validate(schema, parse(query), [queryLimitsRule(limits)]).map((e) => e.message);

it('counts depth, including through fragments', () => {
  assert.deepEqual(errors('{ a { b { b { id } } } }'), []);
  assert.match(errors('{ a { b { b { b { id } } } } }').join(), /depth is 5/);
  assert.match(errors('{ a { ...F } } fragment F on A { b { b { b { id } } } }').join(), /depth is 5/);
});

it('counts aliases', () => {
  assert.deepEqual(errors('{ x: a { id } y: a { id } }'), []);
  assert.match(errors('{ x: a { id } y: a { id } z: a { id } }').join(), /aliases is 3/);
});

it('costs a paged list once per item it may return', () => {
  assert.deepEqual(errors('{ customEvents(first: 10) { nodes { id } } }'), []);
  assert.match(errors('{ customEvents(first: 30) { nodes { id } } }').join(), /cost is 61/);
  assert.match(errors('query($n: Int) { customEvents(first: $n) { nodes { id } } }').join(), /cost is/);
});

it('lets the standard introspection query through', () => {
  assert.deepEqual(errors(getIntrospectionQuery()), []);
});
