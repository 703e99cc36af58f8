/**
 * Progress of `dotnet publish`, read from MSBuild's console output (terminal logger off). The NativeAOT step
 * prints one line and then nothing for a minute or more, so the phases are named as they start and a
 * heartbeat says the build is still alive.
 */

export interface Phase {
  readonly id: 'restore' | 'compile' | 'native' | 'done';
  readonly label: string;
  /** The MSBuild line that means this phase has started. */
  readonly startsWith: RegExp;
}

/** In the order MSBuild goes through them; a phase can be skipped (e.g. nothing to restore). */
export const phases: readonly Phase[] = [
  { id: 'restore', label: 'Restoring packages', startsWith: /^Determining projects to restore/ },
  {
    id: 'compile',
    label: 'Compiling C#',
    startsWith: /^(Restored .+|All projects are up-to-date for restore\.)$/,
  },
  {
    id: 'native',
    label: 'Compiling to native code (NativeAOT: the long step)',
    startsWith: /^Generating native code$/,
  },
  // `<Project> -> <publish folder>/`: the only `->` line that ends with a slash.
  { id: 'done', label: 'Published', startsWith: /^\S.* -> .*\/$/ },
];

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly text: string;
}

/** `file(line,col): error CS0103: ...` and `MSBUILD : error MSB1009: ...`, without MSBuild's trailing `[project]`. */
const diagnosticPattern = /(?:^|\s|:)(error|warning)\s+[A-Z]+[A-Z0-9]*\d+\s*:/;

export function parseDiagnostic(line: string): Diagnostic | undefined {
  const match = diagnosticPattern.exec(line);
  if (!match) return undefined;
  return {
    severity: match[1] as Diagnostic['severity'],
    text: line.replace(/\s+\[[^\]]+\.csproj(::[^\]]*)?\]$/, '').trim(),
  };
}

/** Follows MSBuild's lines and reports each new phase and each distinct error or warning once. */
export class PublishProgress {
  private current = -1;
  private readonly seen = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];
  private partial = '';

  constructor(
    private readonly onPhase: (phase: Phase) => void,
    private readonly onDiagnostic: (diagnostic: Diagnostic) => void = () => undefined,
  ) {}

  get phase(): Phase | undefined {
    return phases[this.current];
  }

  /** Feeds raw output (any chunking); complete lines are processed. */
  write(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
  }

  line(raw: string): void {
    const line = raw.trim();
    const diagnostic = parseDiagnostic(line);
    if (diagnostic) {
      if (!this.seen.has(diagnostic.text)) {
        this.seen.add(diagnostic.text);
        this.diagnostics.push(diagnostic);
        this.onDiagnostic(diagnostic);
      }
      return;
    }
    // Only forward: a later phase's marker never sends the build back to an earlier one.
    const next = phases.findIndex((p, i) => i > this.current && p.startsWith.test(line));
    if (next !== -1) {
      this.current = next;
      this.onPhase(phases[next] as Phase);
    }
  }
}
