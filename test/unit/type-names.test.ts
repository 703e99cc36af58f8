import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTypeList, parseTypeName, splitTypeList } from '../../src/csharp/type-names.js';

describe('C# type names for --json-types', () => {
  it('accepts qualified, generic, nested generic, nullable and array syntax in canonical form', () => {
    assert.equal(parseTypeName(' Order '), 'Order');
    assert.equal(parseTypeName('Contoso.Orders.Order'), 'Contoso.Orders.Order');
    assert.equal(parseTypeName('Dictionary< string ,List<int[]> >'), 'Dictionary<string, List<int[]>>');
    assert.equal(parseTypeName('int?'), 'int?');
    assert.equal(parseTypeName('int[,][]'), 'int[,][]');
    assert.equal(parseTypeName('global::System.Guid'), 'global::System.Guid');
  });

  it('drops the nullable annotation of reference types, which typeof rejects', () => {
    assert.equal(parseTypeName('string?'), 'string');
    assert.equal(parseTypeName('Order?'), 'Order');
    assert.equal(parseTypeName('List<Order?>'), 'List<Order>');
    assert.equal(parseTypeName('DateTime?'), 'DateTime?');
    assert.equal(parseTypeName('int[]?'), 'int[]');
  });

  it('unwraps Task<T> and ValueTask<T>, and refuses Task and void', () => {
    assert.equal(parseTypeName('Task<Order>'), 'Order');
    assert.equal(parseTypeName('System.Threading.Tasks.ValueTask<List<Order>>'), 'List<Order>');
    assert.equal(parseTypeName('Task<Task<int>>'), 'int');
    assert.throws(() => parseTypeName('Task'), /carries no value/);
    assert.throws(() => parseTypeName('void'), /keyword|cannot be serialized/);
  });

  it('splits lists at top-level commas and removes duplicates', () => {
    assert.deepEqual(splitTypeList('A, Dictionary<string, int>, B[,]'), [
      'A',
      'Dictionary<string, int>',
      'B[,]',
    ]);
    assert.deepEqual(parseTypeList('Order, Task<Order>, Order?, List<Order>'), ['Order', 'List<Order>']);
    assert.deepEqual(parseTypeList(''), []);
  });

  for (const bad of [
    'List<',
    'List<>',
    ';',
    'typeof(x)',
    '1abc',
    'a b',
    'class',
    'Foo.class',
    'A<B',
    'A>',
    'x-y',
    '"s"',
  ]) {
    it(`rejects ${JSON.stringify(bad)} with a message naming it`, () => {
      assert.throws(
        () => parseTypeList(bad),
        (error: Error) => error.message.includes('is not a C# type name') || /keyword/.test(error.message),
      );
    });
  }
});
