/** .NET target frameworks a generated function can use. Support dates from Microsoft's lifecycle page. */
export interface Framework {
  readonly tfm: string;
  /** Major.minor, as used by SDK images and `LangVersion`-independent texts. */
  readonly version: string;
  readonly supportEnds: string;
  /** Build image AWS tooling uses for this framework (public.ecr.aws/sam/build-dotnetN). */
  readonly buildImage: string;
}

export const frameworks: readonly Framework[] = [
  {
    tfm: 'net10.0',
    version: '10.0',
    supportEnds: '2028-11-14',
    buildImage: 'public.ecr.aws/sam/build-dotnet10',
  },
  {
    tfm: 'net9.0',
    version: '9.0',
    supportEnds: '2026-11-10',
    buildImage: 'public.ecr.aws/sam/build-dotnet9',
  },
  {
    tfm: 'net8.0',
    version: '8.0',
    supportEnds: '2026-11-10',
    buildImage: 'public.ecr.aws/sam/build-dotnet8',
  },
];

export const defaultFramework = 'net10.0';

/**
 * A support warning, or undefined while the framework is supported on `today`. `fix` says how to move on where the
 * framework is chosen: `new`'s --framework flag by default; convert has no such flag and gives the project setting.
 */
export function frameworkSupportWarning(
  framework: Framework,
  today: Date = new Date(),
  fix = `Use --framework ${defaultFramework} (LTS)`,
): string | undefined {
  if (today.toISOString().slice(0, 10) < framework.supportEnds) return undefined;
  return (
    `${framework.tfm} reached end of support on ${framework.supportEnds}: it no longer gets security fixes. ` +
    `${fix} unless you must stay on it.`
  );
}

/** The fix convert gives: it keeps the project's TargetFramework, so the user changes it. */
export const convertFrameworkFix = `Change the project's TargetFramework to ${defaultFramework} (LTS)`;
