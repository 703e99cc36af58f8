#!/usr/bin/env node
// Runs the suite with node's built-in test runner (CI reads its closing `# pass` / `# fail` / `# skipped` lines).
// Node 20 has no glob for --test, so the files are listed here. `--fast` leaves out test/e2e (the .NET SDK runs).
// `--built` (what `npm test` passes after building): tests start the bin from dist/ instead of through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const fast = process.argv.includes('--fast');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function collect(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'fixtures' ? [] : collect(path);
    return entry.endsWith('.test.ts') ? [path] : [];
  });
}

let files = collect('test').sort();
if (fast) files = files.filter((f) => !relative('test', f).startsWith('e2e'));
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));

const env = process.argv.includes('--built') ? { ...process.env, AOT_LAMBDA_TEST_BIN: 'dist' } : process.env;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
