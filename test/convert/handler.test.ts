import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSource, typeDeclarations } from '../../src/convert/csharp-source.js';
import { ConvertError } from '../../src/convert/errors.js';
import { parseHandlerRef, resolveHandler, type HandlerShape } from '../../src/convert/handler.js';
import { withCSharpParser } from '../../src/csharp/parser.js';

/** Finding the handler method the way Lambda does, and reading its signature (plain data once the trees go). */
function resolve(handler: string, ...sources: string[]): Promise<HandlerShape> {
  return withCSharpParser(async (parse) => {
    const files = await Promise.all(sources.map((s, i) => loadSource(parse, `F${i}.cs`, s)));
    return resolveHandler(parseHandlerRef(handler, 'test'), files.flatMap(typeDeclarations));
  });
}

const wrap = (body: string, ns = 'namespace Demo;'): string =>
  `using Amazon.Lambda.Core;\nusing System.IO;\n${ns}\npublic class Function\n{\n${body}\n}\n`;

describe('handler resolution', () => {
  it('picks (TIn, ILambdaContext) over (TIn) and ()', async () => {
    const shape = await resolve(
      'Demo::Demo.Function::Run',
      wrap(
        'public string Run() => "";\npublic string Run(Order o) => "";\npublic string Run(Order o, ILambdaContext c) => "";',
      ),
    );
    assert.equal(shape.method.parameters.length, 2);
    assert.deepEqual(
      [shape.input?.written, shape.hasContext, shape.output?.written, shape.async],
      ['Order', true, 'string', 'sync'],
    );
  });

  it('picks (TIn) over () when there is no context overload', async () => {
    const shape = await resolve(
      'Demo::Demo.Function::Run',
      wrap('public void Run() {}\npublic void Run(Order o) {}'),
    );
    assert.deepEqual([shape.input?.written, shape.hasContext, shape.output], ['Order', false, undefined]);
  });

  it('ignores overloads Lambda cannot call (three parameters, generic)', async () => {
    const shape = await resolve(
      'Demo::Demo.Function::Run',
      wrap(
        'public void Run(string a, string b, ILambdaContext c) {}\npublic T Run<T>(T a) => a;\npublic void Run(ILambdaContext c) {}',
      ),
    );
    assert.deepEqual([shape.input, shape.hasContext], [undefined, true]);
  });

  it('unwraps Task<T> and ValueTask<T>, qualified or not; Task and void carry no output', async () => {
    const cases: [string, string | undefined, HandlerShape['async']][] = [
      ['public async Task<Receipt> Run(Order o) => null!;', 'Receipt', 'task'],
      ['public System.Threading.Tasks.Task<List<Receipt>> Run(Order o) => null!;', 'List<Receipt>', 'task'],
      ['public ValueTask<Receipt> Run(Order o) => default;', 'Receipt', 'valuetask'],
      ['public Task Run(Order o) => Task.CompletedTask;', undefined, 'task'],
      ['public ValueTask Run(Order o) => default;', undefined, 'valuetask'],
      ['public void Run(Order o) {}', undefined, 'sync'],
    ];
    for (const [body, output, async] of cases) {
      const shape = await resolve('Demo::Demo.Function::Run', wrap(body));
      assert.deepEqual([shape.output?.written, shape.async], [output, async], body);
    }
  });

  it('knows Stream in and out', async () => {
    const shape = await resolve(
      'Demo::Demo.Function::Run',
      wrap('public Stream Run(Stream s, ILambdaContext c) => s;'),
    );
    assert.deepEqual([shape.input?.isStream, shape.output?.isStream], [true, true]);
  });

  it('static or instance', async () => {
    assert.equal(
      (await resolve('Demo::Demo.Function::Run', wrap('public static void Run() {}'))).method.isStatic,
      true,
    );
    assert.equal(
      (await resolve('Demo::Demo.Function::Run', wrap('public void Run() {}'))).method.isStatic,
      false,
    );
  });

  it('finds the class by namespace-qualified name in block and file-scoped namespaces, not by simple name', async () => {
    const blockA = 'namespace A.B { public class Function { public void Run() {} } }';
    const other = 'namespace C; public class Function { public void Other() {} }';
    const shape = await resolve('X::A.B.Function::Run', blockA, other);
    assert.equal(shape.method.owner.fullName, 'A.B.Function');
    await assert.rejects(resolve('X::C.Function::Run', blockA, other), ConvertError);
    const nestedNs = 'namespace A { namespace B { public class Function { public void Run() {} } } }';
    assert.equal((await resolve('X::A.B.Function::Run', nestedNs)).method.owner.namespace, 'A.B');
  });

  it('nested classes are named with + as Lambda does; their nested types are qualified for the entry point', async () => {
    const source =
      'namespace Demo;\npublic class Outer\n{\n  public class Inner\n  {\n    public Reply Run(Request r) => null!;\n    public record Request(string A);\n    public record Reply(string B);\n  }\n}\n';
    const shape = await resolve('Demo::Demo.Outer+Inner::Run', source);
    assert.deepEqual(
      [shape.input?.written, shape.output?.written],
      ['Outer.Inner.Request', 'Outer.Inner.Reply'],
    );
  });

  it('finds methods in any part of a partial class', async () => {
    const shape = await resolve(
      'Demo::Demo.Function::Run',
      'namespace Demo;\npublic partial class Function { }\n',
      'namespace Demo;\npublic partial class Function { public int Run(int x) => x; }\n',
    );
    assert.equal(shape.method.owner.file.path, 'F1.cs');
  });

  it('refuses a handler on a generic class', async () => {
    await assert.rejects(
      resolve(
        'Demo::Demo.Function::Run',
        'namespace Demo; public class Function<T> { public void Run() {} }',
      ),
      /generic/,
    );
  });
});
