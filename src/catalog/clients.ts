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
  },
  {
    id: 'minimal',
    description: 'a built-in zero-dependency Runtime API client (src/<Name>/Runtime)',
    packages: [],
    contextNamespace: '{ns}.Runtime',
  },
];

export const defaultClient = 'runtime-support';
