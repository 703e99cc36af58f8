import type { RuntimeClient } from './catalog/clients.js';
import { csharpKeywords } from './csharp/keywords.js';
import type { ReflectionType } from './spec.js';

/** A class the generator writes so that a reflection type of the project's own assembly exists (and publishes). */
export interface ReflectionStub {
  /** C# identifier, `@`-escaped where it is a keyword. */
  readonly name: string;
  /** T1, T2... for a generic type definition (`Name\`2`). */
  readonly typeParameters: readonly string[];
  readonly nested: readonly ReflectionStub[];
}

/** Stub classes of one namespace (`''`: the global namespace). */
export interface ReflectionStubNamespace {
  readonly namespace: string;
  readonly types: readonly ReflectionStub[];
}

/** Assemblies a generated project can reach without a reference of its own: the framework's and the client's. */
function referencedAssembly(assembly: string, client: RuntimeClient): boolean {
  return (
    /^(System|Microsoft)(\.|$)|^(mscorlib|netstandard)$/.test(assembly) ||
    client.packages.some((p) => p.id === assembly)
  );
}

interface StubNode {
  readonly name: string;
  readonly arity: number;
  readonly nested: Map<string, StubNode>;
}

/**
 * A reflection type of the project's own assembly must exist, or the NativeAOT compiler stops ("Failed to load
 * type"): each one nothing generated defines becomes an empty public class the user fills in (as --json-types
 * does with records). A type of another assembly is the user's to reference: a warning says how.
 */
export function planReflectionStubs(
  types: readonly ReflectionType[],
  ownAssembly: string,
  ownTypes: ReadonlySet<string>,
  client: RuntimeClient,
): { stubs: ReflectionStubNamespace[]; warnings: string[] } {
  const warnings: string[] = [];
  const byNamespace = new Map<string, Map<string, StubNode>>();
  for (const { assembly, type } of types) {
    if (assembly !== ownAssembly) {
      if (!referencedAssembly(assembly, client)) {
        warnings.push(
          `--reflection-types: the project does not reference the assembly '${assembly}' (of ${type}); add its ` +
            `PackageReference or ProjectReference to the csproj, or the NativeAOT publish cannot find the type.`,
        );
      }
      continue;
    }
    const [outer = '', ...inner] = type.split('+');
    const dot = outer.lastIndexOf('.');
    const ns = dot >= 0 ? outer.slice(0, dot) : '';
    const path = [outer.slice(dot + 1), ...inner].map((part) => {
      const [name = '', arity] = part.split('`');
      return { name, arity: Number(arity ?? 0) };
    });
    const outerName = `${ns ? `${ns}.` : ''}${path[0]?.name ?? ''}`;
    if (ownTypes.has(outerName)) {
      if (inner.length > 0) {
        warnings.push(
          `--reflection-types: ${type} is nested in ${outerName}, which the generator writes; declare it there before publishing.`,
        );
      }
      continue;
    }
    let level = byNamespace.get(ns) ?? new Map<string, StubNode>();
    byNamespace.set(ns, level);
    for (const { name, arity } of path) {
      const key = `${name}\`${arity}`;
      const node = level.get(key) ?? { name, arity, nested: new Map<string, StubNode>() };
      level.set(key, node);
      level = node.nested;
    }
  }
  const toStub = (node: StubNode): ReflectionStub => ({
    name: csharpKeywords.has(node.name) ? `@${node.name}` : node.name,
    typeParameters: Array.from({ length: node.arity }, (_, i) => `T${i + 1}`),
    nested: [...node.nested.values()].map(toStub),
  });
  const stubs = [...byNamespace].map(([ns, level]) => ({
    namespace: ns
      .split('.')
      .filter(Boolean)
      .map((part) => (csharpKeywords.has(part) ? `@${part}` : part))
      .join('.'),
    types: [...level.values()].map(toStub),
  }));
  return { stubs, warnings };
}
