import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDiagnostic, PublishProgress } from '../../src/build/progress.js';

/** `dotnet publish -tl:off` of a generated project, as captured on this machine (cross-compiling to arm64). */
const captured = `  Determining projects to restore...
  Restored /tmp/ba/Hello/src/Hello/Hello.csproj (in 693 ms).
  Hello -> /tmp/ba/Hello/src/Hello/bin/Release/net10.0/linux-arm64/bootstrap.dll
  Generating native code
  Hello -> /tmp/ba/out/
`;

function follow(text: string, chunkSize: number) {
  const phases: string[] = [];
  const diagnostics: string[] = [];
  const progress = new PublishProgress(
    (p) => phases.push(p.id),
    (d) => diagnostics.push(`${d.severity}: ${d.text}`),
  );
  for (let i = 0; i < text.length; i += chunkSize) progress.write(text.slice(i, i + chunkSize));
  progress.end();
  return { phases, diagnostics, progress };
}

describe('publish progress from MSBuild output', () => {
  it('names each phase once, in order, however the output is chunked', () => {
    for (const size of [1, 7, 4096]) {
      assert.deepEqual(
        follow(captured, size).phases,
        ['restore', 'compile', 'native', 'done'],
        `chunks of ${size}`,
      );
    }
  });

  it('an up-to-date restore still starts the C# compile; an incremental build skips the native step', () => {
    const text = `  All projects are up-to-date for restore.\n  Hello -> /p/bin/bootstrap.dll\n  Hello -> /p/out/\n`;
    assert.deepEqual(follow(text, 64).phases, ['compile', 'done']);
  });

  it('collects each distinct error and warning once, without the project suffix', () => {
    const line =
      "/p/src/A/Function.cs(12,9): error CS0103: The name 'x' does not exist in the current context [/p/src/A/A.csproj]";
    const text =
      `  Determining projects to restore...\n${line}\n${line}\n` +
      `/p/src/A/Function.cs(3,1): warning IL2026: Using member 'X' which has 'RequiresUnreferencedCodeAttribute' [/p/src/A/A.csproj::TargetFramework=net10.0]\n`;
    const { diagnostics, progress } = follow(text, 10);
    assert.deepEqual(diagnostics, [
      "error: /p/src/A/Function.cs(12,9): error CS0103: The name 'x' does not exist in the current context",
      "warning: /p/src/A/Function.cs(3,1): warning IL2026: Using member 'X' which has 'RequiresUnreferencedCodeAttribute'",
    ]);
    assert.equal(progress.phase?.id, 'restore');
  });

  it('recognises MSBuild-level errors and leaves ordinary lines alone', () => {
    assert.deepEqual(parseDiagnostic('MSBUILD : error MSB1009: Project file does not exist.'), {
      severity: 'error',
      text: 'MSBUILD : error MSB1009: Project file does not exist.',
    });
    assert.equal(parseDiagnostic('  Restored /p/errors/warnings.csproj (in 1 s).'), undefined);
    assert.equal(parseDiagnostic('  Generating native code'), undefined);
  });
});
