import { settingByKey, type SettingKey } from '../settings.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { applyChanges, type ApplyHooks } from './apply.js';
import { commonFolder, unifiedDiff } from './diff.js';
import { ConvertError } from './errors.js';
import { describeBump } from './package-bumps.js';
import { dirtyFiles } from './git.js';
import { planConversion, type ConvertOptions, type ConvertPlan } from './plan.js';
import { lockFolder } from './lock.js';
import { pendingJournal, recoverInterrupted } from './recovery.js';
import { checkWritable } from './writable.js';

/**
 * convert as a library: plan, guard, then diff (dry run) or apply. The CLI and the Yeoman generator are thin
 * callers of `convert()`.
 */
export interface RunOptions extends ConvertOptions {
  readonly dryRun?: boolean;
  /** Convert even when git reports uncommitted changes in the project's files. */
  readonly force?: boolean;
  readonly hooks?: ApplyHooks;
}

export type ConvertOutcome =
  | { readonly status: 'converted'; readonly plan: ConvertPlan; readonly report: string }
  | { readonly status: 'dry-run'; readonly plan: ConvertPlan; readonly diff: string; readonly report: string }
  | { readonly status: 'unchanged'; readonly plan: ConvertPlan; readonly report: string };

function summary(plan: ConvertPlan, verb: string): string {
  const base = process.cwd();
  const lines = [
    `${verb} ${relative(base, plan.projectPath) || plan.projectPath} to NativeAOT (${plan.runtime}, ${plan.architecture}); handler ${plan.handlers.join(', ')}`,
    ...plan.changes.map(
      (c) => `  ${c.before === undefined ? 'create' : 'update'} ${relative(base, c.path) || c.path}`,
    ),
    ...plan.bumps.map((b) => `  ${describeBump(b, base)}`),
    ...plan.notes.map((n) => `  note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The folder `target` names (itself, or the .csproj's), where an interrupted run may have left its journal. */
function targetFolder(target: string): string | undefined {
  const path = resolve(target);
  if (!existsSync(path)) return undefined;
  return statSync(path).isDirectory() ? path : dirname(path);
}

/**
 * Settles what an interrupted run left in `dir` (recovery.ts) before anything there is read; a dry run writes
 * nothing, so it asks for a real run instead.
 */
function settleInterrupted(dir: string | undefined, dryRun: boolean | undefined): string[] {
  if (dir === undefined) return [];
  const pending = pendingJournal(dir);
  if (dryRun && pending !== undefined) {
    throw new ConvertError(
      `A conversion of this project was interrupted (${pending} records it). Run aot-lambda convert without --dry-run: it ` +
        `finishes or rolls back that conversion first. Nothing was written.`,
    );
  }
  if (dryRun) return [];
  const recovered = recoverInterrupted(dir);
  return recovered ? [`${recovered.message}\n`] : [];
}

export async function convert(target: string, options: RunOptions = {}): Promise<ConvertOutcome> {
  const first = targetFolder(target);
  // A run that writes holds its folders' locks from before recovery to the last rename (lock.ts).
  const releases: (() => void)[] = [];
  const lock = (dir: string | undefined): void => {
    if (dir !== undefined && !options.dryRun) releases.push(lockFolder(dir));
  };
  try {
    lock(first);
    return await convertLocked(target, first, options, lock);
  } finally {
    for (const release of releases.reverse()) release();
  }
}

async function convertLocked(
  target: string,
  first: string | undefined,
  options: RunOptions,
  lock: (dir: string) => void,
): Promise<ConvertOutcome> {
  const recovered = settleInterrupted(first, options.dryRun);
  let plan = await planConversion(target, options);
  if (plan.projectDir !== first) {
    lock(plan.projectDir);
    const more = settleInterrupted(plan.projectDir, options.dryRun);
    if (more.length > 0) {
      recovered.push(...more);
      plan = await planConversion(target, options);
    }
  }
  const prefix = recovered.join('');
  if (plan.changes.length === 0) {
    return {
      status: 'unchanged',
      plan,
      report: `${prefix}${relative(process.cwd(), plan.projectPath) || plan.projectPath} is already converted to NativeAOT (${plan.runtime}, ${plan.architecture}): nothing to change.\n`,
    };
  }
  checkWritable(
    plan.changes.map((c) => c.path),
    [plan.projectDir],
  );
  if (options.dryRun) {
    return {
      status: 'dry-run',
      plan,
      diff: unifiedDiff(plan.changes, commonFolder([plan.projectPath, ...plan.changes.map((c) => c.path)])),
      report: summary(plan, 'Would convert'),
    };
  }
  if (!options.force) {
    const dirty = dirtyFiles(plan.projectDir, [plan.projectDir, ...plan.changes.map((c) => c.path)]);
    if (dirty.length > 0) {
      throw new ConvertError(
        `The project has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', ...' : ''}). Commit or stash them ` +
          `so the conversion can be reviewed and undone on its own, or pass --force. Nothing was written.`,
      );
    }
  }
  await applyChanges(plan.changes, plan.projectDir, options.hooks);
  return { status: 'converted', plan, report: `${prefix}${summary(plan, 'Converted')}` };
}

/** `new`'s settings that also apply to an existing project; the settings table gives flags and descriptions. */
export const sharedSettings: readonly (SettingKey & keyof ConvertOptions)[] = [
  'runtime',
  'architecture',
  'client',
  'jsonTypes',
  'reflectionTypes',
];

/**
 * A run's options from the values the CLI or the generator was given, looked up by flag name: `text` for the
 * shared settings and --handler, `flag` for --dry-run and --force.
 */
export function runOptions(
  text: (flag: string) => string | undefined,
  flag: (flag: string) => boolean,
): RunOptions {
  const settings: { -readonly [K in (typeof sharedSettings)[number]]?: string } = {};
  for (const key of sharedSettings) settings[key] = text(settingByKey(key).flag);
  return { ...settings, handler: text('handler'), dryRun: flag('dry-run'), force: flag('force') };
}

export { ConvertError } from './errors.js';
export type { ConvertOptions, ConvertPlan, FileChange } from './plan.js';
export { planConversion } from './plan.js';
export { unifiedDiff } from './diff.js';
export { applyChanges } from './apply.js';
export { recoverInterrupted } from './recovery.js';
