import { nugetVersions } from '../catalog/packages.js';
import type { PackageRef } from '../catalog/packages.js';
import { addItems, readProjectFile, type ProjectFile } from './csproj.js';
import { findNearest } from './discover.js';
import { deleteLines, replaceRange, type TextEdit } from './splice.js';
import { wholeLines, type XmlElement } from './xml-doc.js';
import { readText } from './text-file.js';

/**
 * PackageReference changes of a conversion: the client's packages added, the serializer raised to a version with
 * SourceGeneratorLambdaJsonSerializer, packages the built-in client replaced removed. Under central package
 * management (Directory.Packages.props with ManagePackageVersionsCentrally) versions live in PackageVersion items
 * there and references carry none, as NuGet requires (NU1008).
 */
export interface CentralPackages {
  readonly path: string;
  readonly file: ProjectFile;
}

/** Directory.Packages.props, when central package management is on for this project. */
export function centralPackages(
  projectDir: string,
  project: ProjectFile,
  inherited: { get(name: string): string | undefined },
): CentralPackages | undefined {
  const path = findNearest(projectDir, 'Directory.Packages.props');
  if (!path) return undefined;
  const file = readProjectFile(readText(path, path), path);
  const enabled =
    project.property('ManagePackageVersionsCentrally') ??
    inherited.get('ManagePackageVersionsCentrally') ??
    file.property('ManagePackageVersionsCentrally');
  return (enabled ?? '').trim().toLowerCase() === 'true' ? { path, file } : undefined;
}

/** SourceGeneratorLambdaJsonSerializer first shipped in this version of the package. */
const sourceGeneratorSince = '2.2.0';
const serializerId = 'Amazon.Lambda.Serialization.SystemTextJson';
const clientId = 'Amazon.Lambda.RuntimeSupport';

const versionParts = (v: string): number[] =>
  v
    .split(/[.-]/)
    .slice(0, 3)
    .map((n) => Number.parseInt(n, 10) || 0);
export function olderThan(version: string, minimum: string): boolean {
  const [a, b] = [versionParts(version), versionParts(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

export const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The version attribute that decides a reference's version: VersionOverride or Version on it, else its PackageVersion. */
export function versionAttribute(
  reference: XmlElement,
  central: CentralPackages | undefined,
  id: string,
): { file: 'project' | 'central'; value: string; start: number; end: number } | undefined {
  const own = reference.attributes.get(central ? 'VersionOverride' : 'Version');
  if (own) return { file: 'project', value: own.value, start: own.valueStart, end: own.valueEnd };
  if (!central) return undefined;
  const pinned = central.file
    .items('PackageVersion')
    .find((v) => sameId(v.attributes.get('Include')?.value ?? '', id))
    ?.attributes.get('Version');
  return pinned
    ? { file: 'central', value: pinned.value, start: pinned.valueStart, end: pinned.valueEnd }
    : undefined;
}

/** Whole-line removals of the elements, and of each group they leave empty. */
function removeElements(source: string, elements: readonly XmlElement[]): TextEdit[] {
  const removed = new Set(elements);
  const emptied = new Set(
    elements
      .map((el) => el.parent)
      .filter((g): g is XmlElement => g !== undefined && g.children.every((c) => removed.has(c))),
  );
  const ranges = [...elements.filter((el) => !(el.parent && emptied.has(el.parent))), ...emptied].map((el) =>
    wholeLines(source, el),
  );
  return deleteLines(source, ranges);
}

export interface PackageEdits {
  readonly project: TextEdit[];
  /** Edits of Directory.Packages.props (central package management only). */
  readonly central: TextEdit[];
  /** The packages this conversion adds or raises, at the version it writes. */
  readonly written: PackageRef[];
  /** Report lines for raises that are no NU1605 bump (those are package-bumps.ts's). */
  readonly notes: string[];
}

/**
 * The runtime client the conversion wires (Amazon.Lambda.RuntimeSupport), pinned lower than the catalogue's version
 * (AWS's top-level-statements blueprint pins a 1.x), goes up to it: the converted project then restores the package
 * set convert was checked with, and the package bumps raise what that version needs (Core 3.x) in every project.
 */
function raiseClientPins(
  references: ReturnType<ProjectFile['packageReferences']>,
  wanted: readonly PackageRef[],
  central: CentralPackages | undefined,
  edits: PackageEdits,
): void {
  for (const want of wanted.filter((p) => sameId(p.id, clientId))) {
    const reference = references.find((r) => sameId(r.id, want.id));
    const version = reference ? versionAttribute(reference.element, central, want.id) : undefined;
    if (!version || !olderThan(version.value, want.version)) continue;
    edits[version.file].push(replaceRange(version.start, version.end, want.version));
    edits.written.push(want);
    edits.notes.push(
      `raised ${want.id} ${version.value} -> ${want.version}: the version convert wires and checks`,
    );
  }
}

export function packageEdits(
  project: ProjectFile,
  wanted: readonly PackageRef[],
  options: {
    /** The handler goes through the serializer: it must have SourceGeneratorLambdaJsonSerializer. */
    readonly usesSerializer: boolean;
    readonly central: CentralPackages | undefined;
    /** Package ids to remove (the built-in client replaced them and nothing else uses them). */
    readonly remove: readonly string[];
  },
): PackageEdits {
  const { central } = options;
  const references = project.packageReferences();
  const has = (id: string): boolean => references.some((r) => sameId(r.id, id));
  const missing = wanted.filter((p) => !has(p.id));
  const edits: PackageEdits = { project: [], central: [], written: [...missing], notes: [] };
  edits.project.push(
    ...addItems(
      project,
      'PackageReference',
      missing.map((p) =>
        central
          ? `<PackageReference Include="${p.id}" />`
          : `<PackageReference Include="${p.id}" Version="${p.version}" />`,
      ),
    ),
  );
  if (central) {
    const pinned = central.file.items('PackageVersion').map((v) => v.attributes.get('Include')?.value ?? '');
    edits.central.push(
      ...addItems(
        central.file,
        'PackageVersion',
        missing
          .filter((p) => !pinned.some((id) => sameId(id, p.id)))
          .map((p) => `<PackageVersion Include="${p.id}" Version="${p.version}" />`),
      ),
    );
  }
  raiseClientPins(references, wanted, central, edits);
  const serializer = references.find((r) => sameId(r.id, serializerId));
  const version = serializer ? versionAttribute(serializer.element, central, serializerId) : undefined;
  if (options.usesSerializer && version && olderThan(version.value, sourceGeneratorSince)) {
    edits[version.file].push(replaceRange(version.start, version.end, nugetVersions[serializerId]));
    edits.written.push({ id: serializerId, version: nugetVersions[serializerId] });
  }
  const removed = references
    .filter((r) => options.remove.some((id) => sameId(id, r.id)))
    .map((r) => r.element);
  if (removed.length > 0) edits.project.push(...removeElements(project.doc.source, removed));
  return edits;
}
