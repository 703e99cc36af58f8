import { dirname, relative, resolve } from 'node:path';
import { nugetDependencies, nugetVersions, type PackageRef } from '../catalog/packages.js';
import { readProjectFile, type ProjectFile } from './csproj.js';
import { inheritedProperties, listProjects, solutionRoot } from './discover.js';
import {
  centralPackages,
  olderThan,
  sameId,
  versionAttribute,
  type CentralPackages,
} from './package-edits.js';
import { replaceRange, type TextEdit } from './splice.js';
import { readText } from './text-file.js';

/**
 * Raising the Amazon.Lambda.* pins that the packages a conversion adds need higher: RuntimeSupport 2.1.2 needs
 * Amazon.Lambda.Core 3.2.0, and a project (or a test project referencing it) that still pins Core 2.8.1 then fails
 * restore with NU1605 (package downgrade). Each pin goes up to exactly the lowest version required, the smallest
 * step that restores, wherever it is written: the reference's Version (or VersionOverride), else the PackageVersion
 * in Directory.Packages.props under central package management.
 */
export interface PackageBump {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** The file whose text changes (a project or Directory.Packages.props). */
  readonly path: string;
  /** The package whose dependency asks for it, e.g. 'Amazon.Lambda.RuntimeSupport 2.1.2'. */
  readonly because: string;
}

export interface PackageBumps {
  readonly bumps: readonly PackageBump[];
  /** Edits by absolute path, on the files' text as read (`texts`). */
  readonly edits: ReadonlyMap<string, TextEdit[]>;
  readonly texts: ReadonlyMap<string, string>;
}

interface Requirement {
  readonly id: string;
  readonly version: string;
  readonly because: string;
}

/** What the function project's packages need: the ones convert writes, and those already at the catalogue's version or later. */
function requirements(
  project: ProjectFile,
  central: CentralPackages | undefined,
  written: readonly PackageRef[],
) {
  const present: PackageRef[] = project.packageReferences().flatMap((r) => {
    const version = versionAttribute(r.element, central, r.id)?.value ?? r.version;
    return version ? [{ id: r.id, version }] : [];
  });
  const byId = new Map<string, Requirement>();
  for (const p of [...written, ...present]) {
    const known = Object.entries(nugetDependencies).find(([id]) => sameId(id, p.id));
    if (!known) continue;
    const [id, dependencies = []] = known;
    if (olderThan(p.version, nugetVersions[id as keyof typeof nugetVersions])) continue;
    for (const d of dependencies) {
      const seen = byId.get(d.id.toLowerCase());
      if (!seen || olderThan(seen.version, d.version))
        byId.set(d.id.toLowerCase(), { ...d, because: `${id} ${p.version}` });
    }
  }
  return [...byId.values()];
}

const projectReferences = (project: ProjectFile, dir: string): string[] =>
  project
    .items('ProjectReference')
    .map((i) => i.attributes.get('Include')?.value ?? '')
    .filter((p) => p !== '')
    .map((p) => resolve(dir, p.split('\\').join('/')));

/** The projects below the solution root that reference `projectPath`, directly or through another project. */
export function referencingProjects(projectPath: string): string[] {
  const all = listProjects(solutionRoot(dirname(projectPath)), 4).filter((p) => p !== projectPath);
  const refs = new Map(
    all.map((p) => {
      try {
        return [p, projectReferences(readProjectFile(readText(p), p), dirname(p))] as const;
      } catch {
        // A project file that does not parse is not ours to judge here; the build will say.
        return [p, [] as string[]] as const;
      }
    }),
  );
  const found = new Set<string>();
  const queue = [projectPath];
  while (queue.length > 0) {
    const target = queue.shift() as string;
    for (const [p, r] of refs) {
      if (!found.has(p) && r.includes(target)) {
        found.add(p);
        queue.push(p);
      }
    }
  }
  return [...found].sort();
}

/**
 * Bumps for the function project (given already read, with its central package file) and the projects referencing
 * it; `written` are the packages the conversion adds or raises.
 */
export function packageBumps(
  projectPath: string,
  project: ProjectFile,
  central: CentralPackages | undefined,
  written: readonly PackageRef[],
): PackageBumps {
  const needed = requirements(project, central, written);
  const bumps: PackageBump[] = [];
  const edits = new Map<string, TextEdit[]>();
  const texts = new Map<string, string>();
  if (needed.length === 0) return { bumps, edits, texts };
  const label = (p: string): string => relative(process.cwd(), p) || p;

  const projects: { path: string; file: ProjectFile; central: CentralPackages | undefined }[] = [
    { path: projectPath, file: project, central },
    ...referencingProjects(projectPath).map((path) => {
      const file = readProjectFile(readText(path), label(path));
      return {
        path,
        file,
        central: centralPackages(dirname(path), file, inheritedProperties(dirname(path))),
      };
    }),
  ];
  const done = new Set<string>();
  for (const p of projects) {
    for (const reference of p.file.packageReferences()) {
      const need = needed.find((n) => sameId(n.id, reference.id));
      if (!need) continue;
      const version = versionAttribute(reference.element, p.central, reference.id);
      if (!version || !olderThan(version.value, need.version)) continue;
      const path = version.file === 'central' ? (p.central as CentralPackages).path : p.path;
      // One Directory.Packages.props serves several projects: raise its pin once.
      const key = `${path}:${version.start}`;
      if (done.has(key)) continue;
      done.add(key);
      texts.set(
        path,
        version.file === 'central' ? (p.central as CentralPackages).file.doc.source : p.file.doc.source,
      );
      edits.set(path, [...(edits.get(path) ?? []), replaceRange(version.start, version.end, need.version)]);
      bumps.push({ id: reference.id, from: version.value, to: need.version, path, because: need.because });
    }
  }
  return { bumps, edits, texts };
}

/** One summary line per bump. */
export function describeBump(b: PackageBump, base: string): string {
  return `raise ${b.id} ${b.from} -> ${b.to} in ${relative(base, b.path) || b.path} (${b.because} needs it; a lower pin fails restore with NU1605)`;
}
