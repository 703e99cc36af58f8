/**
 * The harness floor: bench/floor/floor.c, a C runtime over a raw socket, built with clang. Its cold start is
 * what spawning a process and one loopback Runtime API round trip cost in this harness, with no language
 * runtime at all; the .NET variants pay it too, so it is the part of their cold start no switch can remove.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable, runTool } from '../src/tools.js';
import { workRoot } from './args.js';

export type Floor = { status: 'built'; executable: string } | { status: 'not measured'; reason: string };

export function buildFloor(): Floor {
  if (!findExecutable('clang')) return { status: 'not measured', reason: 'clang is not on PATH' };
  const dir = join(workRoot, 'floor');
  mkdirSync(dir, { recursive: true });
  const executable = join(dir, 'bootstrap');
  const source = join(import.meta.dirname, 'floor', 'floor.c');
  const result = runTool('clang', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', executable, source], {
    purpose: 'build the harness floor',
  });
  if (result.status !== 0) throw new Error(`clang failed on ${source}:\n${result.stderr}`);
  return { status: 'built', executable };
}
