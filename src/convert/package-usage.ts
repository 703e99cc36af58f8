import { withCSharpParser, type ParseCSharp, type SyntaxNode } from '../csharp/parser.js';
import { loadSource, type SourceFile } from './csharp-source.js';
import { deleteLines, type TextEdit } from './splice.js';

/**
 * Which Amazon.Lambda.* packages a project still needs once the built-in client replaces
 * Amazon.Lambda.RuntimeSupport: a package stays while any C# file uses its namespace. A `using` of it that no name in
 * its file needs any more (the `[assembly: LambdaSerializer]` it served is gone) is dropped with the package.
 */
export interface ReplaceablePackage {
  readonly id: string;
  readonly namespace: string;
  /**
   * The public types of the namespace: a `using` is dead when the file names none of them. Absent: any `using`
   * of the namespace counts as a use (the package is kept unless nothing mentions it at all).
   */
  readonly typeNames?: ReadonlySet<string>;
}

/** The packages a project on the built-in client can do without, in the order their references are checked. */
export const replaceablePackages: readonly ReplaceablePackage[] = [
  { id: 'Amazon.Lambda.RuntimeSupport', namespace: 'Amazon.Lambda.RuntimeSupport' },
  {
    id: 'Amazon.Lambda.Serialization.SystemTextJson',
    namespace: 'Amazon.Lambda.Serialization.SystemTextJson',
    typeNames: new Set([
      'AbstractLambdaJsonSerializer',
      'AwsNamingPolicy',
      'CamelCaseLambdaJsonSerializer',
      'DefaultLambdaJsonSerializer',
      'JsonSerializerException',
      'LambdaJsonSerializer',
      'SourceGeneratorLambdaJsonSerializer',
    ]),
  },
  {
    id: 'Amazon.Lambda.Core',
    namespace: 'Amazon.Lambda.Core',
    typeNames: new Set([
      'IClientApplication',
      'IClientContext',
      'ICognitoIdentity',
      'ILambdaContext',
      'ILambdaLogger',
      'ILambdaSerializer',
      'IMessageEntry',
      'LambdaLogger',
      'LambdaLoggerExtensions',
      'LambdaResponseStreamFactory',
      'LambdaSerializer',
      'LambdaSerializerAttribute',
      'LambdaTraceProvider',
      'LogLevel',
      'MessageEntry',
      'SnapshotRestore',
    ]),
  },
];

export interface PackageUsage {
  /** Dead `using` removals, keyed by the file's path, as edits of the text given for it. */
  readonly edits: ReadonlyMap<string, TextEdit[]>;
  /** Ids of the packages nothing in the project uses. */
  readonly unused: readonly string[];
}

function mentionPattern(namespace: string): RegExp {
  return new RegExp(`(?<![\\w.])${namespace.replace(/\./g, '\\.')}(?![\\w])`);
}

/** The file's text with comments and using directives blanked out (same length, so nothing else moves). */
function codeOnly(text: string, root: SyntaxNode): string {
  const hidden = [...root.descendantsOfType('comment'), ...root.descendantsOfType('using_directive')]
    .filter((n): n is SyntaxNode => n !== null)
    .sort((a, b) => a.startIndex - b.startIndex);
  let out = '';
  let at = 0;
  for (const n of hidden) {
    if (n.startIndex < at) continue;
    out += text.slice(at, n.startIndex) + text.slice(n.startIndex, n.endIndex).replace(/[^\n]/g, ' ');
    at = n.endIndex;
  }
  return out + text.slice(at);
}

/**
 * For each package: does any file (as it will read after the conversion) use its namespace, and which of its
 * `using` directives are dead. `projectUsings` are the project file's `<Using Include>` items (global usings).
 * Files given already parsed (a SourceFile) are not parsed again; the others are parsed with `parse`, whose trees
 * live as long as the caller's, or, without it, with a parser of this call's own.
 */
export async function packageUsage(
  files: readonly (SourceFile | { readonly path: string; readonly text: string })[],
  packages: readonly ReplaceablePackage[],
  projectUsings: readonly string[],
  parse?: ParseCSharp,
): Promise<PackageUsage> {
  if (!parse) return withCSharpParser((own) => packageUsage(files, packages, projectUsings, own));
  const parsed = await Promise.all(files.map((f) => ('parsed' in f ? f : loadSource(parse, f.path, f.text))));
  const edits = new Map<string, TextEdit[]>();
  const used = new Set<string>();
  for (const file of parsed) {
    const root = file.parsed.root;
    const code = codeOnly(file.text, root);
    const directives = root.descendantsOfType('using_directive').filter((u): u is SyntaxNode => u !== null);
    const identifiers = new Set(
      root
        .descendantsOfType('identifier')
        .filter(
          (n): n is SyntaxNode =>
            n !== null && !directives.some((d) => n.startIndex >= d.startIndex && n.endIndex <= d.endIndex),
        )
        .map((n) => n.text),
    );
    const dead: SyntaxNode[] = [];
    for (const pkg of packages) {
      const mention = mentionPattern(pkg.namespace);
      const plain = directives.filter((d) => d.text.replace(/\s+/g, ' ') === `using ${pkg.namespace};`);
      const otherDirective = directives.some((d) => !plain.includes(d) && mention.test(d.text));
      // A simple name counts only where this using imports it (elsewhere it may be the built-in client's type).
      const namesTypes =
        plain.length > 0 && (pkg.typeNames ? [...pkg.typeNames].some((t) => identifiers.has(t)) : true);
      if (mention.test(code) || otherDirective || namesTypes) used.add(pkg.id);
      else dead.push(...plain);
    }
    if (dead.length > 0)
      edits.set(
        file.path,
        deleteLines(
          file.text,
          dead.map((d) => ({ start: d.startIndex, end: d.endIndex })),
        ),
      );
  }
  for (const pkg of packages) if (projectUsings.includes(pkg.namespace)) used.add(pkg.id);
  return { edits, unused: packages.filter((p) => !used.has(p.id)).map((p) => p.id) };
}
