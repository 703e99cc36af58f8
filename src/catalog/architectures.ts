/** Lambda instruction set architectures and what each one means for the build. */
export interface Architecture {
  /** Lambda's name, as in template.yaml `Architectures` and `aws lambda --architectures`. */
  readonly id: string;
  /** .NET runtime identifier. */
  readonly rid: string;
  /** Docker `--platform`. */
  readonly dockerPlatform: string;
  /** Tag suffix of AWS build and base images. */
  readonly imageTag: string;
  /** ELF e_machine of executables built for it. */
  readonly elfMachine: number;
  /** GitHub-hosted runner of this architecture: NativeAOT compiles for the host it runs on. */
  readonly githubRunner: string;
}

export const architectures: readonly Architecture[] = [
  {
    id: 'x86_64',
    rid: 'linux-x64',
    dockerPlatform: 'linux/amd64',
    imageTag: 'x86_64',
    elfMachine: 62,
    githubRunner: 'ubuntu-24.04',
  },
  {
    id: 'arm64',
    rid: 'linux-arm64',
    dockerPlatform: 'linux/arm64',
    imageTag: 'arm64',
    elfMachine: 183,
    githubRunner: 'ubuntu-24.04-arm',
  },
];

export const defaultArchitecture = 'x86_64';
