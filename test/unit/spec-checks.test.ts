import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeSettings, SettingError } from '../../src/settings.js';
import { buildSpec, checkJsonTypesCompile, validateName } from '../../src/spec.js';

const spec = (jsonTypes: string, name = 'Orders', template = 'hello') =>
  buildSpec(completeSettings({ name, jsonTypes, template }));

describe('project names Windows reserves (issue 17.13)', () => {
  for (const name of ['con', 'CON', 'nul', 'Prn', 'aux', 'aux.Foo', 'COM1', 'com9.Orders', 'LPT0', 'lpt5']) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => validateName(name),
        (e: Error) => e instanceof SettingError && /is a device name Windows reserves/.test(e.message),
      );
    });
  }
  for (const name of ['Console', 'Nullable', 'COM10', 'Auxiliary', 'Orders.Con', 'Contoso.Aux', 'LPT']) {
    it(`accepts ${name}`, () => assert.doesNotThrow(() => validateName(name)));
  }
});

describe('--json-types: only what the generated project can compile (issue 17.10)', () => {
  const refused: [string, RegExp][] = [
    ['Foo<T>', /'Foo<T>': Foo<> is neither a generic \.NET type/],
    ['Foo<Order>', /'Foo<Order>': Foo<> is neither/],
    ['Ns.Outer.Inner', /the namespace Ns\.Outer is not in the generated project \(its namespace is Orders\)/],
    ['Other.Order', /the namespace Other is not in the generated project/],
    ['System.Foo', /the namespace System is not in the generated project/],
    ['List<T>', /'T' reads as a type parameter/],
    ['Dictionary<TKey, TValue>', /'TKey' reads as a type parameter/],
    ['List', /List takes 1 type argument, not 0: e\.g\. List<Order>/],
    ['Dictionary<string>', /Dictionary takes 2 type arguments, not 1/],
    ['DateTime<int>', /DateTime takes 0 type arguments, not 1: e\.g\. DateTime\./],
    ['Request<int>', /Request<> is neither/],
    ['Nullable<Order>', /Nullable<> takes a value type .* Order is not one the generator knows/],
  ];
  for (const [types, message] of refused) {
    it(`refuses ${types}`, () => {
      assert.throws(
        () => checkJsonTypesCompile(spec(types, 'Orders', 'typed')),
        (e: Error) =>
          e instanceof SettingError && /^--json-types: /.test(e.message) && message.test(e.message),
      );
    });
  }

  it('accepts .NET types (qualified or not), project types, placeholders; stubs and usings follow', () => {
    const s = spec(
      'Order, Orders.Item, T, List<Order>, Dictionary<string, Item>, ImmutableArray<int>, ' +
        'System.Collections.Immutable.ImmutableList<Order>, global::System.Guid, JsonNode, JsonElement?, ' +
        'KeyValuePair<string, int>, Request, Function',
      'Orders',
      'typed',
    );
    assert.doesNotThrow(() => checkJsonTypesCompile(s));
    assert.deepEqual([...s.stubTypes].sort(), ['Item', 'Order', 'T']);
    assert.deepEqual(s.jsonUsings, [
      'System.Collections.Immutable',
      'System.Text.Json',
      'System.Text.Json.Nodes',
    ]);
  });

  it('the namespace of a dotted project name qualifies its placeholders', () => {
    const s = spec('Contoso.Orders.Line', 'Contoso.Orders');
    assert.doesNotThrow(() => checkJsonTypesCompile(s));
    assert.deepEqual(s.stubTypes, ['Line']);
  });
});
