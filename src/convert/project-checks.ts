import { frameworks, type Framework } from '../catalog/frameworks.js';
import { fail } from './errors.js';
import type { ProjectFile } from './csproj.js';

/**
 * Shapes convert refuses, each with the reason and the way out. They are checked before anything is planned,
 * so a refused project is never half-converted.
 */
export interface Inherited {
  readonly path: string | undefined;
  get(name: string): string | undefined;
}

/** Packages that host ASP.NET Core on Lambda: that model has no handler method to wire, so it is out of scope. */
const aspNetHosting = ['Amazon.Lambda.AspNetCoreServer', 'Amazon.Lambda.AspNetCoreServer.Hosting'];

export function checkProjectShape(project: ProjectFile, inherited: Inherited): Framework {
  const sdk = project.doc.root.attributes.get('Sdk')?.value;
  if (project.doc.root.name !== 'Project')
    fail(`${project.label} is not an MSBuild project (its root element is <${project.doc.root.name}>).`);
  if (!sdk) {
    fail(
      `${project.label} is not an SDK-style project (no Sdk="Microsoft.NET.Sdk" on <Project>). NativeAOT needs an SDK-style ` +
        `project: migrate it (e.g. with the .NET Upgrade Assistant), then run convert again.`,
    );
  }
  if (sdk.trim() !== 'Microsoft.NET.Sdk') {
    fail(
      `${project.label} uses Sdk="${sdk}"; convert handles plain Microsoft.NET.Sdk function projects. An ASP.NET Core app on ` +
        `Lambda is hosted by Amazon.Lambda.AspNetCoreServer, which convert does not rewrite: see the ASP.NET Core NativeAOT guide.`,
    );
  }
  const hosting = project.packageReferences().find((p) => aspNetHosting.includes(p.id));
  if (hosting) {
    fail(
      `${project.label} hosts ASP.NET Core through ${hosting.id}; convert wires a handler method to the Lambda runtime client and ` +
        `cannot rewrite that hosting model. Convert a handler-based project, or follow the ASP.NET Core NativeAOT guide.`,
    );
  }
  const multi = project.property('TargetFrameworks') ?? inherited.get('TargetFrameworks');
  if (multi !== undefined && multi.trim() !== '') {
    const where = project.property('TargetFrameworks') !== undefined ? project.label : inherited.path;
    fail(
      `${where} sets TargetFrameworks (${multi.trim()}): a NativeAOT executable is built for one framework. Replace it with ` +
        `<TargetFramework>${multi.split(';')[0]?.trim() || 'net10.0'}</TargetFramework> in ${project.label}, then run convert again.`,
    );
  }
  const tfm = project.property('TargetFramework') ?? inherited.get('TargetFramework');
  if (!tfm)
    fail(
      `${project.label} sets no TargetFramework. Add <TargetFramework>net10.0</TargetFramework>, then run convert again.`,
    );
  const framework = frameworks.find((f) => f.tfm === tfm.trim());
  if (!framework) {
    fail(
      `${project.label} targets ${tfm}, which cannot publish a NativeAOT Lambda function (supported: ` +
        `${frameworks.map((f) => f.tfm).join(', ')}). Change TargetFramework to net10.0 (LTS), build once, then run convert again.`,
    );
  }
  return framework;
}
