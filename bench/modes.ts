/** The three ways the same project is published and run, and what each passes to `dotnet publish`. */
export type Mode = 'aot' | 'jit' | 'r2r';

export interface ModeSpec {
  readonly id: Mode;
  readonly label: string;
  readonly publishArgs: readonly string[];
  readonly description: string;
}

export const modeSpecs: readonly ModeSpec[] = [
  {
    id: 'aot',
    label: 'NativeAOT',
    publishArgs: [],
    description: 'the generated csproj as is: PublishAot, StripSymbols, trimmed native executable',
  },
  {
    id: 'jit',
    label: 'JIT',
    // The csproj says PublishAot=true: a global property overrides it. Framework-dependent, like a managed
    // dotnet10 function: the shared runtime comes from the machine, the zip holds only the app.
    publishArgs: ['-p:PublishAot=false', '--self-contained', 'false'],
    description: 'framework-dependent IL, run by the shared .NET runtime through the apphost',
  },
  {
    id: 'r2r',
    label: 'ReadyToRun',
    publishArgs: ['-p:PublishAot=false', '-p:PublishReadyToRun=true', '--self-contained', 'true'],
    description: 'self-contained, app assembly precompiled by crossgen2 (untrimmed)',
  },
];

export function modeSpec(id: Mode): ModeSpec {
  const spec = modeSpecs.find((m) => m.id === id);
  if (!spec) throw new Error(`unknown mode ${id}`);
  return spec;
}
