/**
 * The switch sets of the study. Each states every switch under study (null = not set, the SDK's default),
 * so a set means the same whatever the template says today; `as-generated` is the template itself.
 */
import type { Properties } from './build.js';

export interface SwitchSet {
  id: string;
  description: string;
  /** Undefined: the csproj exactly as generated. */
  properties?: Properties;
  /** Function-project files replaced for a what-if, by path under src/<Name>: the bench file to use. */
  files?: Readonly<Record<string, string>>;
}

const unset: Properties = {
  OptimizationPreference: null,
  EventSourceSupport: null,
  UseSystemResourceKeys: null,
  DebuggerSupport: null,
  MetricsSupport: null,
  HttpActivityPropagationSupport: null,
  EnableUnsafeUTF7Encoding: null,
  StackTraceSupport: null,
  IlcGenerateStackTraceData: null,
  IlcFoldIdenticalMethodBodies: null,
  AutoreleasePoolSupport: null,
  ConcurrentGarbageCollection: null,
  IlcScanReflection: null,
  InvariantTimezone: null,
  IlcDehydrate: null,
  PositionIndependentExecutable: null,
};

export const studiedSwitches = [...Object.keys(unset), 'TrimMode'];

/** The csproj's switches before this study (issue 7): the reference row. */
const before: Properties = {
  ...unset,
  OptimizationPreference: 'Speed',
  EventSourceSupport: 'false',
  UseSystemResourceKeys: 'true',
  DebuggerSupport: 'false',
  MetricsSupport: 'false',
  HttpActivityPropagationSupport: 'false',
  EnableUnsafeUTF7Encoding: 'false',
};

const size: Properties = { ...before, OptimizationPreference: 'Size' };
const lean: Properties = { ...size, StackTraceSupport: 'false', UseSystemResourceKeys: null };

export const switchSets: readonly SwitchSet[] = [
  {
    id: 'sdk-defaults',
    description: 'none of the switches (PublishAot, StripSymbols, InvariantGlobalization, TrimMode full)',
    properties: unset,
  },
  {
    id: 'before',
    description: 'the csproj before this study: Speed, feature switches off, UseSystemResourceKeys',
    properties: before,
  },
  {
    id: 'blended',
    description: 'before, OptimizationPreference unset (blended)',
    properties: { ...before, OptimizationPreference: null },
  },
  { id: 'size', description: 'before, OptimizationPreference=Size', properties: size },
  {
    id: 'size+messages',
    description: 'size, UseSystemResourceKeys unset (full exception messages)',
    properties: { ...size, UseSystemResourceKeys: null },
  },
  {
    id: 'size+no-stacktrace-data',
    description: 'size, IlcGenerateStackTraceData=false',
    properties: { ...size, IlcGenerateStackTraceData: 'false' },
  },
  {
    id: 'size+no-stacktrace-support',
    description: 'size, StackTraceSupport=false',
    properties: { ...size, StackTraceSupport: 'false' },
  },
  {
    id: 'size+fold',
    description: 'size, IlcFoldIdenticalMethodBodies=true',
    properties: { ...size, IlcFoldIdenticalMethodBodies: 'true' },
  },
  {
    id: 'size+trim-partial',
    description: 'size, TrimMode=partial',
    properties: { ...size, TrimMode: 'partial' },
  },
  {
    id: 'size+no-concurrent-gc',
    description: 'size, ConcurrentGarbageCollection=false (no background GC)',
    properties: { ...size, ConcurrentGarbageCollection: 'false' },
  },
  {
    id: 'size+autorelease-off',
    description: 'size, AutoreleasePoolSupport=false (a macOS switch)',
    properties: { ...size, AutoreleasePoolSupport: 'false' },
  },
  {
    id: 'size+no-dehydrate',
    description: 'size, IlcDehydrate=false (no start-up rehydration of runtime data)',
    properties: { ...size, IlcDehydrate: 'false' },
  },
  {
    id: 'size+no-pie',
    description:
      'size, PositionIndependentExecutable=false (linked at a fixed address: no start-up relocations)',
    properties: { ...size, PositionIndependentExecutable: 'false' },
  },
  {
    id: 'size+no-dehydrate+no-pie',
    description:
      'size, IlcDehydrate=false and PositionIndependentExecutable=false (the runtime data as is, unrelocated)',
    properties: { ...size, IlcDehydrate: 'false', PositionIndependentExecutable: 'false' },
  },
  {
    id: 'speed+no-concurrent-gc',
    description: 'before, ConcurrentGarbageCollection=false',
    properties: { ...before, ConcurrentGarbageCollection: 'false' },
  },
  { id: 'lean', description: 'size, StackTraceSupport=false, UseSystemResourceKeys unset', properties: lean },
  {
    id: 'lean+no-scan-reflection',
    description: 'lean, IlcScanReflection=false',
    properties: { ...lean, IlcScanReflection: 'false' },
  },
  {
    id: 'lean+invariant-timezone',
    description: 'lean, InvariantTimezone=true (UTC only)',
    properties: { ...lean, InvariantTimezone: 'true' },
  },
  // Not a switch: what the HTTP stack costs. The built-in client as it was on HttpClient, before the socket client.
  {
    id: 'before-socket-client',
    description:
      'as generated, with Runtime/RuntimeApiClient.cs replaced by bench/experiments/HttpClientRuntimeApiClient.cs (the client on HttpClient, before commit 289d00d)',
    files: { 'Runtime/RuntimeApiClient.cs': 'experiments/HttpClientRuntimeApiClient.cs' },
  },
  // The map file is a side output of ILC: it explains the size without changing the executable.
  {
    id: 'as-generated',
    description: 'the csproj exactly as the generator writes it now',
    properties: { IlcGenerateMapFile: 'true' },
  },
];
