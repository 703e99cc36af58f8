/**
 * Keeps the generated project's NuGet pins current: fails when a version in src/catalog/packages.ts is older than
 * the newest one the environment's package list (nuget.tsv: what this machine's NuGet serves and restores) has.
 * Skipped, with the reason, where that list is absent. AOT_LAMBDA_NUGET_LIST names another copy of it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { nugetVersions } from '../../src/catalog/packages.js';

const listPath = process.env.AOT_LAMBDA_NUGET_LIST ?? '/work/.library/env/packages/nuget.tsv';

/** NuGet version order for the shapes pins use: numeric parts compared one by one; a pre-release sorts first. */
export function compareNugetVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.split('-', 2);
  const [coreB = '', preB] = b.split('-', 2);
  const partsA = coreA.split('.').map(Number);
  const partsB = coreB.split('.').map(Number);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  return preA < preB ? -1 : preA > preB ? 1 : 0;
}

/** Package id (lower case) -> the newest version the list says restored; rows without a version are left out. */
function newestServed(text: string): Map<string, string> {
  const newest = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [id, version] = line.split('\t');
    if (id && version && /^\d+(\.\d+)+(-[\w.]+)?$/.test(version)) newest.set(id.toLowerCase(), version);
  }
  return newest;
}

describe('NuGet pins of the generated project', () => {
  it('orders NuGet versions numerically, a pre-release before its release', () => {
    assert.equal(compareNugetVersions('18.12.0', '18.9.0'), 1);
    assert.equal(compareNugetVersions('6.0.4', '10.1.1'), -1);
    assert.equal(compareNugetVersions('4.0.1', '4.0.1'), 0);
    assert.equal(compareNugetVersions('1.0.0-beta', '1.0.0'), -1);
    assert.equal(compareNugetVersions('3.7.400.0', '3.7.400'), 0);
  });

  it('no pinned version is behind the newest the environment serves', (t) => {
    if (!existsSync(listPath)) {
      t.skip(`skipped: no package list at ${listPath} (set AOT_LAMBDA_NUGET_LIST to one)`);
      return;
    }
    const newest = newestServed(readFileSync(listPath, 'utf8'));
    assert.ok(newest.size > 100, `${listPath} lists packages with versions`);
    const behind: string[] = [];
    const unlisted: string[] = [];
    for (const [id, pinned] of Object.entries(nugetVersions)) {
      const served = newest.get(id.toLowerCase());
      if (served === undefined) unlisted.push(id);
      else if (compareNugetVersions(pinned, served) < 0) behind.push(`${id} ${pinned} -> ${served}`);
    }
    // Amazon.Lambda.* are not on this machine's mirror (they come from ../shared/nuget): nothing to compare.
    if (unlisted.length > 0) t.diagnostic(`not in the list, not compared: ${unlisted.join(', ')}`);
    assert.deepEqual(behind, [], 'bump these in src/catalog/packages.ts');
    assert.ok(Object.keys(nugetVersions).length - unlisted.length >= 4, 'the test stack was compared');
  });
});
