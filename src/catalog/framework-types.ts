/**
 * .NET types a --json-types entry may name without the project defining them: where each lives and how many
 * type arguments it takes. The generator checks every entry against this list (and the project's own types) so
 * that what it writes compiles, and adds a `using` for the namespaces the SDK does not import implicitly.
 */
export interface FrameworkType {
  readonly name: string;
  readonly namespace: string;
  /** Numbers of type arguments it is declared with (KeyValuePair: 2; Nullable: 1; DateTime: 0). */
  readonly arities: readonly number[];
}

const group = (namespace: string, arities: readonly number[], names: string): FrameworkType[] =>
  names.split(' ').map((name) => ({ name, namespace, arities }));

export const frameworkTypes: readonly FrameworkType[] = [
  ...group(
    'System',
    [0],
    'DateTime DateTimeOffset DateOnly TimeOnly TimeSpan Guid Uri Version Int16 Int32 Int64 UInt16 UInt32 UInt64 ' +
      'String Boolean Decimal Double Single Byte SByte Char Object Half Int128 UInt128',
  ),
  ...group('System', [1], 'Nullable Memory ReadOnlyMemory'),
  ...group('System.Collections.Generic', [1], 'List IList IReadOnlyList ICollection IReadOnlyCollection'),
  ...group('System.Collections.Generic', [1], 'IEnumerable HashSet ISet Queue Stack LinkedList'),
  ...group('System.Collections.Generic', [2], 'Dictionary IDictionary IReadOnlyDictionary SortedDictionary'),
  ...group('System.Collections.Generic', [2], 'KeyValuePair'),
  ...group('System.Collections.Immutable', [1], 'ImmutableArray ImmutableList'),
  ...group('System.Collections.Immutable', [2], 'ImmutableDictionary'),
  ...group('System.Text.Json', [0], 'JsonElement JsonDocument'),
  ...group('System.Text.Json.Nodes', [0], 'JsonNode JsonObject JsonArray JsonValue'),
];

/** Namespaces a Microsoft.NET.Sdk project with `<ImplicitUsings>enable</ImplicitUsings>` imports already. */
export const implicitUsings: ReadonlySet<string> = new Set([
  'System',
  'System.Collections.Generic',
  'System.IO',
  'System.Linq',
  'System.Net.Http',
  'System.Threading',
  'System.Threading.Tasks',
]);
