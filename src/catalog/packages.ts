/** NuGet package versions written into generated projects: the one place to bump them. */
export interface PackageRef {
  readonly id: string;
  readonly version: string;
}

export const nugetVersions = {
  // aws/aws-lambda-dotnet release of 2026-07-22.
  'Amazon.Lambda.RuntimeSupport': '2.1.2',
  'Amazon.Lambda.Core': '3.2.0',
  'Amazon.Lambda.Serialization.SystemTextJson': '3.0.0',
  'Amazon.Lambda.TestUtilities': '4.2.0',
  // Test project: xunit.v3 as AWS's current blueprints use it. The mtp-off flavour of xunit.v3 4.x runs under a
  // plain `dotnet test` (VSTest, through xunit.runner.visualstudio); xunit.v3 4.x itself is refused there unless
  // global.json switches the whole solution to Microsoft.Testing.Platform. test/catalog/package-versions.test.ts
  // fails when one of these falls behind what NuGet serves.
  'xunit.v3.mtp-off': '4.0.3',
  'xunit.runner.visualstudio': '4.0.1',
  'Microsoft.NET.Test.Sdk': '18.12.0',
  'coverlet.collector': '10.1.1',
} as const;

export const testPackages: readonly PackageRef[] = (
  ['Microsoft.NET.Test.Sdk', 'xunit.v3.mtp-off', 'xunit.runner.visualstudio', 'coverlet.collector'] as const
).map((id) => ({ id, version: nugetVersions[id] }));
