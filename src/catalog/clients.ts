import type { PackageRef } from './packages.js';
import { nugetVersions } from './packages.js';

/** How the executable talks to the Lambda Runtime API. */
export interface RuntimeClient {
  readonly id: string;
  readonly description: string;
  /** NuGet packages the function project references. */
  readonly packages: readonly PackageRef[];
  /** Namespace that provides ILambdaContext to the handler; `{ns}` is the project namespace. */
  readonly contextNamespace: string;
  /** Namespaces Function.cs imports for `Main`, besides the context namespace. */
  readonly mainUsings: readonly string[];
  /** NuGet packages the test project adds to the common test packages. */
  readonly testPackages: readonly PackageRef[];
  /** The ILambdaContext implementation the generated tests construct, and its namespace (absent: the context namespace). */
  readonly testContextType: string;
  readonly testContextNamespace?: string;
  /** MSBuild properties the function project needs with this client: the generated csproj and convert set them. */
  readonly projectProperties: readonly {
    readonly name: string;
    readonly value: string;
    readonly why: string;
  }[];
  /** MSBuild items the function project needs with this client (`<type Include="include" />`): csproj and convert add them. */
  readonly projectItems: readonly {
    readonly type: string;
    readonly include: string;
    readonly why: string;
  }[];
}

export const clients: readonly RuntimeClient[] = [
  {
    id: 'runtime-support',
    description: 'Amazon.Lambda.RuntimeSupport with the source-generated System.Text.Json serializer',
    packages: [
      { id: 'Amazon.Lambda.RuntimeSupport', version: nugetVersions['Amazon.Lambda.RuntimeSupport'] },
      { id: 'Amazon.Lambda.Core', version: nugetVersions['Amazon.Lambda.Core'] },
      {
        id: 'Amazon.Lambda.Serialization.SystemTextJson',
        version: nugetVersions['Amazon.Lambda.Serialization.SystemTextJson'],
      },
    ],
    contextNamespace: 'Amazon.Lambda.Core',
    mainUsings: ['Amazon.Lambda.RuntimeSupport', 'Amazon.Lambda.Serialization.SystemTextJson'],
    testPackages: [
      { id: 'Amazon.Lambda.TestUtilities', version: nugetVersions['Amazon.Lambda.TestUtilities'] },
    ],
    testContextType: 'TestLambdaContext',
    testContextNamespace: 'Amazon.Lambda.TestUtilities',
    projectProperties: [],
    projectItems: [],
  },
  {
    id: 'minimal',
    description: 'a built-in zero-dependency Runtime API client (src/<Name>/Runtime)',
    packages: [],
    contextNamespace: '{ns}.Runtime',
    mainUsings: [],
    testPackages: [],
    testContextType: 'LambdaContext',
    projectProperties: [
      {
        name: 'AllowUnsafeBlocks',
        value: 'true',
        why: "Runtime/MinimalJsonEscaping.cs overrides JavaScriptEncoder's members, which take pointers.",
      },
    ],
    projectItems: [
      {
        type: 'DirectPInvoke',
        include: 'libc.so.6',
        why: 'Runtime/Libc.cs calls glibc: the native executable calls it directly instead of looking each function up on first use.',
      },
    ],
  },
];

export const defaultClient = 'runtime-support';
