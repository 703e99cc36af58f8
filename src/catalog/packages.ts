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
  'Amazon.Lambda.APIGatewayEvents': '3.0.0',
  'Amazon.Lambda.AspNetCoreServer.Hosting': '2.1.0',
  // Test project: xunit.v3 as AWS's current blueprints use it. The mtp-off flavour of xunit.v3 4.x runs under a
  // plain `dotnet test` (VSTest, through xunit.runner.visualstudio); xunit.v3 4.x itself is refused there unless
  // global.json switches the whole solution to Microsoft.Testing.Platform. test/catalog/package-versions.test.ts
  // fails when one of these falls behind what NuGet serves.
  'xunit.v3.mtp-off': '4.0.3',
  'xunit.runner.visualstudio': '4.0.1',
  'Microsoft.NET.Test.Sdk': '18.12.0',
  'coverlet.collector': '10.1.1',
} as const;

/**
 * The Amazon.Lambda.* packages each package above requires, with the lowest version its nuspec accepts (its
 * dependency group for net8.0 and later). A project that pins one of them lower fails restore with NU1605
 * (package downgrade) once the package is added: convert raises such pins to exactly this version.
 */
export const nugetDependencies: Readonly<Partial<Record<keyof typeof nugetVersions, readonly PackageRef[]>>> =
  {
    'Amazon.Lambda.RuntimeSupport': [{ id: 'Amazon.Lambda.Core', version: '3.2.0' }],
    'Amazon.Lambda.Serialization.SystemTextJson': [{ id: 'Amazon.Lambda.Core', version: '3.2.0' }],
    'Amazon.Lambda.TestUtilities': [{ id: 'Amazon.Lambda.Core', version: '3.2.0' }],
  };

export const testPackages: readonly PackageRef[] = (
  ['Microsoft.NET.Test.Sdk', 'xunit.v3.mtp-off', 'xunit.runner.visualstudio', 'coverlet.collector'] as const
).map((id) => ({ id, version: nugetVersions[id] }));

/**
 * Microsoft.AspNetCore.Mvc.Testing for the webapi template's tests: the newest patch of the ASP.NET Core line
 * matching the target framework (a 10.x package does not restore on net8.0).
 */
export const aspNetCoreTestingVersions: Readonly<Record<string, string>> = {
  'net10.0': '10.0.15',
  'net9.0': '9.0.23',
  'net8.0': '8.0.34',
};
