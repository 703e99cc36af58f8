/** Lambda runtimes that can host a NativeAOT executable. */
export interface LambdaRuntime {
  readonly id: string;
  /** custom: the zip root holds an executable named `bootstrap`; managed: the dotnet runtime execs `/var/task/<handler>`. */
  readonly kind: 'custom' | 'managed';
  /** Base image of the final stage when packaging as a container image. */
  readonly baseImage: string;
  readonly supportEnds: string;
  readonly deprecated?: string;
}

export const runtimes: readonly LambdaRuntime[] = [
  {
    id: 'provided.al2023',
    kind: 'custom',
    baseImage: 'public.ecr.aws/lambda/provided:al2023',
    supportEnds: '2029-06-30',
  },
  {
    id: 'dotnet10',
    kind: 'managed',
    baseImage: 'public.ecr.aws/lambda/dotnet:10',
    supportEnds: '2028-11-14',
  },
  {
    id: 'dotnet8',
    kind: 'managed',
    baseImage: 'public.ecr.aws/lambda/dotnet:8',
    supportEnds: '2026-11-10',
    deprecated: '2026-11-10',
  },
];

export const defaultRuntime = 'provided.al2023';

/** Glibc of the Lambda execution environment (Amazon Linux 2023): a binary needing more fails at start. */
export const targetGlibc = '2.34';

/** Names that users still type for Amazon Linux 2, refused with the reason. */
const al2Refusal =
  'Amazon Linux 2 reached end of life on 2026-06-30; Lambda blocked creating provided.al2 functions from ' +
  `2026-07-31 and updating them from 2026-08-31. Use --runtime provided.al2023 (glibc ${targetGlibc}, supported to 2029-06-30).`;
export const retiredRuntimes: Readonly<Record<string, string>> = {
  al2: al2Refusal,
  'provided.al2': al2Refusal,
};
