/** Lambda instruction set architectures and what each one means for the build. */

/**
 * One piece of a C toolchain, as data: what to look for (a program on PATH or a file), and the package that
 * provides it on Debian/Ubuntu (apt) and on Fedora/Amazon Linux (dnf; absent when those distributions
 * package nothing that fits).
 */
export interface ToolchainPart {
  /** A program looked up on PATH, or files of which one must exist (where distributions differ). */
  readonly program?: string;
  readonly files?: readonly string[];
  readonly apt: string;
  readonly dnf?: string;
  /** Why the build needs it, for the message that names what is missing. */
  readonly why: string;
}

export interface Architecture {
  /** Lambda's name, as in template.yaml `Architectures` and `aws lambda --architectures`. */
  readonly id: string;
  /** .NET runtime identifier. */
  readonly rid: string;
  /** Node's `process.arch` on a machine of this architecture. */
  readonly nodeArch: string;
  /** `uname -m` on a machine of this architecture. */
  readonly unameMachine: string;
  /** GNU target triple: cross binutils' prefix and Debian's cross sysroot, /usr/<triple>. */
  readonly gnuTriple: string;
  /** Debian's architecture name (dpkg), which names its cross C library packages. */
  readonly debianArch: string;
  /** qemu-user's emulator for this architecture; `-L /usr/<gnuTriple>` gives it the C library. */
  readonly qemu: string;
  /** Docker `--platform`. */
  readonly dockerPlatform: string;
  /** Tag suffix of AWS build and base images. */
  readonly imageTag: string;
  /** ELF e_machine of executables built for it. */
  readonly elfMachine: number;
  /** GitHub-hosted runner of this architecture: NativeAOT compiles for the host it runs on. */
  readonly githubRunner: string;
  /**
   * What a Linux machine of another architecture needs, besides clang, to link NativeAOT code for this one.
   * Debian's cross packages install the C library under /usr/<triple>, where clang looks for it with
   * SysRoot=/ (SysRoot=/usr/<triple> does not work: lld then misses libc.so.6). Fedora and Amazon Linux
   * ship no cross C library in that layout, so they get no dnf package: they build in Docker instead.
   */
  readonly crossToolchain: readonly ToolchainPart[];
  /** The MSBuild properties that make `dotnet publish -r <rid>` link for this architecture on another one. */
  readonly crossPublishProperties: readonly string[];
}

/** Debian's package names write the triple's `_` as `-` (binutils-x86-64-linux-gnu). */
const debianTriple = (triple: string): string => triple.replace(/_/g, '-');

/** SysRoot=/ lets clang find Debian's cross C library under /usr/<triple>; lld links any architecture. */
function crossPublishProperties(triple: string): string[] {
  return ['-p:SysRoot=/', '-p:LinkerFlavor=lld', `-p:ObjCopyName=${triple}-objcopy`];
}

function crossToolchain(triple: string, debianArch: string): ToolchainPart[] {
  return [
    {
      program: 'ld.lld',
      apt: 'lld',
      dnf: 'lld',
      why: 'links for another architecture (LinkerFlavor=lld)',
    },
    {
      program: `${triple}-objcopy`,
      apt: `binutils-${debianTriple(triple)}`,
      dnf: `binutils-${triple}`,
      why: 'strips the executable (ObjCopyName)',
    },
    {
      program: `${triple}-gcc`,
      apt: `gcc-${debianTriple(triple)}`,
      why: "provides the target's C start-up files and libgcc",
    },
    {
      // The linker script libc.so (the -dev package), not the runtime libc.so.6 that qemu needs.
      files: [`/usr/${triple}/lib/libc.so`],
      apt: `libc6-dev-${debianArch}-cross`,
      why: "provides the target's C library to link against",
    },
  ];
}

export const architectures: readonly Architecture[] = [
  {
    id: 'x86_64',
    rid: 'linux-x64',
    nodeArch: 'x64',
    unameMachine: 'x86_64',
    gnuTriple: 'x86_64-linux-gnu',
    debianArch: 'amd64',
    qemu: 'qemu-x86_64',
    dockerPlatform: 'linux/amd64',
    imageTag: 'x86_64',
    elfMachine: 62,
    githubRunner: 'ubuntu-24.04',
    crossToolchain: crossToolchain('x86_64-linux-gnu', 'amd64'),
    crossPublishProperties: crossPublishProperties('x86_64-linux-gnu'),
  },
  {
    id: 'arm64',
    rid: 'linux-arm64',
    nodeArch: 'arm64',
    unameMachine: 'aarch64',
    gnuTriple: 'aarch64-linux-gnu',
    debianArch: 'arm64',
    qemu: 'qemu-aarch64',
    dockerPlatform: 'linux/arm64',
    imageTag: 'arm64',
    elfMachine: 183,
    githubRunner: 'ubuntu-24.04-arm',
    crossToolchain: crossToolchain('aarch64-linux-gnu', 'arm64'),
    crossPublishProperties: crossPublishProperties('aarch64-linux-gnu'),
  },
];

export const defaultArchitecture = 'x86_64';

/** The architecture of the machine this runs on, when Lambda has it. */
export function hostArchitecture(nodeArch: string = process.arch): Architecture | undefined {
  return architectures.find((a) => a.nodeArch === nodeArch);
}

/** The architecture of an ELF e_machine, when Lambda has it. */
export function architectureOfMachine(machine: number): Architecture | undefined {
  return architectures.find((a) => a.elfMachine === machine);
}
