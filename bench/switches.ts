/**
 * `npm run bench -- --switches`: the size and speed switches of the hello NativeAOT build (built-in client),
 * one change at a time. Each set is measured for size, cold start and memory, and for what a handler error
 * then looks like (stack frames, message), since some switches trade those away; a set whose executable
 * does not answer is reported as broken, not timed. Evidence for the csproj's defaults.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionTemplates } from '../src/catalog/templates.js';
import { startRuntimeApi } from '../src/emulator/index.js';
import type { BenchOptions } from './args.js';
import { breakdown, type Breakdown } from './breakdown.js';
import { build, scaffold, type Built, type Properties } from './build.js';
import { loadAverage, machineInfo } from './machine.js';
import { coldStart, measureSession, type Target } from './measure.js';
import { summarizeCold, summarizeWarm, type Conditions } from './results.js';
import { pairedDifference } from './stats.js';
import { measureSizes } from './sizes.js';
import { studiedSwitches, switchSets } from './switch-sets.js';
import { switchesMarkdown, type ErrorSample, type SetResult } from './switches-report.js';

const WARM_PER_SET = 500;

export async function runSwitchStudy(options: BenchOptions, command: string): Promise<void> {
  const log = (line: string) => console.error(`[switches] ${line}`);
  const hello = functionTemplates.find((t) => t.id === 'hello');
  const project = await scaffold('hello', 'minimal');
  const generated = readFileSync(join(project.dir, 'src', project.name, `${project.name}.csproj`), 'utf8');
  const built = new Map<string, Built>();
  for (const set of switchSets) {
    log(`publishing ${set.id}`);
    const result = await build({
      project,
      mode: 'aot',
      id: `switches-${set.id}`,
      properties: set.properties,
      files: set.files && experimentFiles(set.files, project.name),
      rebuild: options.rebuild,
    });
    if (result.status !== 'built') throw new Error(`${set.id}: ${result.reason}`);
    log(`${set.id}: ${result.cached ? 'cached' : `published in ${result.publishSeconds.toFixed(0)} s`}`);
    built.set(set.id, result);
  }

  const baseArgs = new Set(built.get('before')?.ilcArgs ?? []);
  const results: SetResult[] = [];
  const targets: Target[] = [];
  for (const set of switchSets) {
    const b = built.get(set.id) as Built;
    const target: Target = {
      id: set.id,
      executable: b.executable,
      event: JSON.stringify(hello?.sampleEvent),
      expected: hello?.expectedResponse,
    };
    const result: SetResult = {
      id: set.id,
      description: set.description,
      properties: effectiveProperties(generated, set.properties),
      ilcDelta: withoutEchoedKnobs([
        ...b.ilcArgs.filter((a) => !baseArgs.has(a)).map((a) => `+${a}`),
        ...[...baseArgs].filter((a) => !b.ilcArgs.includes(a)).map((a) => `-${a}`),
      ]),
      warnings: b.warnings,
      sizes: measureSizes('aot', b.outDir, b.executable),
    };
    // A switch can break the executable without a build warning (IlcScanReflection=false does): check first.
    try {
      await coldStart(target, options.memoryMb, options.cpu);
      targets.push(target);
    } catch (error) {
      result.broken = firstLine(error);
      log(`${set.id}: broken: ${result.broken}`);
    }
    results.push(result);
  }

  const warmCount = Math.min(options.warm, WARM_PER_SET);
  const { cold, warm, load } = await measureSession(targets, {
    ...options,
    warm: warmCount,
    log,
    what: 'sets',
  });
  const reference = cold.get('before')?.map((x) => x.coldStartMs);
  for (const r of results) {
    const c = cold.get(r.id);
    if (c && reference && r.id !== 'before') {
      r.coldDeltaMs = pairedDifference(
        c.map((x) => x.coldStartMs),
        reference,
      );
    }
    const w = warm.get(r.id);
    if (c) r.cold = summarizeCold(c);
    if (w) r.warm = summarizeWarm(w);
    const target = targets.find((t) => t.id === r.id);
    if (target) r.error = await errorSample(target, options.memoryMb);
  }

  const conditions: Conditions = {
    date: new Date().toISOString(),
    command,
    machine: await machineInfo(),
    load,
    memoryMb: options.memoryMb,
    cpu: options.cpu,
    coldRounds: options.cold,
    warmInvocations: warmCount,
    order: 'interleaved, in a new (seeded) random order each round; one discarded cold start per set first',
  };
  const generatedBuild = built.get('as-generated') as Built;
  const map = join(
    generatedBuild.dir,
    'src',
    project.name,
    'obj/Release/net10.0/linux-x64/native/bootstrap.map.xml',
  );
  const sizeBreakdown: Breakdown | undefined = existsSync(map) ? breakdown(map) : undefined;
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(
    join(options.outDir, 'switches.json'),
    `${JSON.stringify({ conditions, sets: results, breakdown: sizeBreakdown }, null, 2)}\n`,
  );
  writeFileSync(join(options.outDir, 'switches.md'), switchesMarkdown(conditions, results, sizeBreakdown));
  log(`load now ${loadAverage()[0].toFixed(2)}; results in ${options.outDir}`);
}

/** `--render`: writes switches.md again from switches.json, for a change of format only. */
export function renderSwitches(outDir: string): boolean {
  const file = join(outDir, 'switches.json');
  if (!existsSync(file)) return false;
  const {
    conditions,
    sets,
    breakdown: map,
  } = JSON.parse(readFileSync(file, 'utf8')) as {
    conditions: Conditions;
    sets: SetResult[];
    breakdown?: Breakdown;
  };
  writeFileSync(join(outDir, 'switches.md'), switchesMarkdown(conditions, sets, map));
  return true;
}

/** What a handler exception looks like to the caller with these switches (hello given an object, not a string). */
async function errorSample(target: Target, memoryMb: number): Promise<ErrorSample> {
  const emulator = await startRuntimeApi({
    executable: target.executable,
    output: 'capture',
    memoryMb,
    timeoutSeconds: 60,
  });
  try {
    const result = await emulator.invoke(JSON.stringify({ not: 'a string' }));
    if (result.outcome !== 'function-error') {
      throw new Error(`${target.id}: expected a function error, got ${result.payload}`);
    }
    const body = JSON.parse(result.payload) as {
      errorType: string;
      errorMessage: string;
      stackTrace?: string[];
    };
    return {
      errorType: body.errorType,
      errorMessage: body.errorMessage,
      stackFrames: body.stackTrace?.length ?? 0,
      firstFrame: body.stackTrace?.[0] ?? '',
    };
  } finally {
    await emulator.close();
  }
}

/** Reads the bench files a what-if puts in the project, with the project's namespace filled in. */
function experimentFiles(files: Readonly<Record<string, string>>, namespace: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([path, source]) => [
      path,
      readFileSync(join(import.meta.dirname, source), 'utf8').replaceAll('__NAMESPACE__', namespace),
    ]),
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 400);
}

/** Each feature switch reaches ILC twice (--feature and --runtimeknob); the knob alone is news only without it. */
function withoutEchoedKnobs(args: readonly string[]): string[] {
  return args.filter(
    (a) => !a.includes('--runtimeknob:') || !args.includes(a.replace('--runtimeknob:', '--feature:')),
  );
}

/** The switch values a set compiles with: the generated csproj's, overridden by the set's. */
function effectiveProperties(csproj: string, properties: Properties | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  const active = csproj.replace(/<!--[\s\S]*?-->/g, ''); // the template's comments mention switches too
  for (const name of studiedSwitches) {
    const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(active);
    const value = properties && name in properties ? properties[name] : match?.[1];
    if (value !== undefined && value !== null) result[name] = value;
  }
  return result;
}
