import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_FUNCTION_NAME,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  FUNCTION_VERSION,
  MAX_PAYLOAD_BYTES,
} from './constants.js';
import { runtimeEnvironment } from './environment.js';
import { entrypointErrorMessage, errorBody, exitErrorMessage } from './errors.js';
import { functionArn, newRequestId, newTraceId } from './ids.js';
import { checkMemoryMb, checkTimeoutSeconds } from './limits.js';
import { createSandbox, lambdaCpus, type CpuMode, type Sandbox } from './cgroups.js';
import { ProcessTreeMemory } from './process-tree-memory.js';
import {
  endLine,
  initReportLine,
  reportLine,
  startLine,
  timeoutLine,
  timeoutMessage,
} from './report-lines.js';
import { RuntimeApiServer, type Invocation, type RuntimeOutcome } from './runtime-api-server.js';
import { RuntimeProcess, SpawnError, within, type ExitInfo, type OutputMode } from './runtime-process.js';

export interface EmulatorOptions {
  /** The bootstrap executable, run directly as Lambda runs it. Its folder is LAMBDA_TASK_ROOT and the cwd. */
  executable?: string;
  /** A command to run instead, argv style and without a shell, e.g. `['dotnet', 'out/bootstrap.dll']`. */
  cmd?: readonly string[];
  /** Default `test_function` (RIE's). */
  functionName?: string;
  /** `_HANDLER`; default the executable's file name (without `.dll`). */
  handler?: string;
  /** AWS_LAMBDA_FUNCTION_MEMORY_SIZE and the REPORT's Memory Size; default 3008 (RIE's). */
  memoryMb?: number;
  /** Each invocation's limit, counted from the end of init (as Lambda does); default 300 (RIE's). */
  timeoutSeconds?: number;
  /**
   * Lambda's own limit on the init phase, 10 s. When it passes, Lambda logs an INIT_REPORT with
   * `Status: timeout`, and initialises again within the invocation, under the function timeout.
   */
  initTimeoutSeconds?: number;
  /** Extra variables for the runtime (CLI `--env K=V`). */
  env?: Readonly<Record<string, string>>;
  /** Default: the executable's folder, or that of the first existing file named in `cmd`. */
  taskRoot?: string;
  /** Default `inherit`; `capture` fills InvokeResult.logs. */
  output?: OutputMode;
  /** Called with every chunk the runtime writes, when output is `capture`. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Receives the platform lines (START, END, REPORT, timeouts, exits); nothing is printed by default. */
  log?: (line: string) => void;
  /** Port of the Runtime API on 127.0.0.1; default a free one. */
  port?: number;
  /**
   * Extra memory samples between the ones taken at each invocation's end, every 100 ms by default; they start
   * after the first invocation, so that reading /proc never sits in a cold start being timed.
   */
  memorySampleIntervalMs?: number;
  /**
   * `lambda`: hold the runtime's process tree to Lambda's CPU share for memoryMb (1,769 MB = one vCPU) with
   * a cgroup; `host` (default): the whole machine.
   */
  cpu?: CpuMode;
  /**
   * Stop a runtime that goes over memoryMb and report Runtime.OutOfMemory, as Lambda does: with the same
   * cgroup when there is one, else by sampling its memory. Default false.
   */
  memoryLimit?: boolean;
}

/** An event: raw bytes or text as given, anything else (or nothing: `{}`) as JSON. */
export type InvokeEvent = unknown;

export interface InvokeOptions {
  /** Lambda-Runtime-Client-Context (objects are sent as JSON). */
  clientContext?: string | object;
  /** Lambda-Runtime-Cognito-Identity (objects are sent as JSON). */
  cognitoIdentity?: string | object;
  /** Propagated trace header (`Root=...;Parent=...;Sampled=...`); a fresh one by default. */
  traceId?: string;
  tenantId?: string;
  /**
   * Called as soon as the runtime posts its answer, for callers that answer their own client then (Lambda's
   * Invoke API does). The invocation itself goes on until the runtime asks for the next event: work and
   * logs after the response belong to it, and invoke() resolves then, with END and REPORT.
   */
  onResponse?: (response: InvokeResponse) => void;
}

/** The caller's half of a result, known when the runtime posts its answer. */
export interface InvokeResponse {
  requestId: string;
  outcome: InvokeOutcome;
  ok: boolean;
  statusCode: number;
  errorType?: string;
  payload: string;
}

export type InvokeOutcome =
  | 'success'
  | 'function-error'
  | 'init-error'
  | 'exit-error'
  | 'timeout'
  | 'response-too-large'
  | 'request-too-large';

export interface InvokeResult {
  requestId: string;
  traceId: string;
  outcome: InvokeOutcome;
  /** outcome === 'success' */
  ok: boolean;
  /** What RIE's invoke endpoint would answer: 200 (success, function error, timeout), 502 (init/exit), 413. */
  statusCode: number;
  /** Validated Lambda-Runtime-Function-Error-Type, Runtime.ExitError, Sandbox.Timedout, ... */
  errorType?: string;
  /** The response body (or error body) as the caller receives it. */
  payload: string;
  /** A runtime process was started for this invocation. */
  coldStart: boolean;
  /** The runtime process that served it. */
  pid?: number;
  /** Cold starts: spawn to the first GET /next (Lambda's Init Duration). */
  initDurationMs?: number;
  /**
   * Event delivered to the runtime until it asked for the next one (or exited, or timed out), as Lambda
   * counts Duration: work after the response is part of it.
   */
  durationMs: number;
  /** ceil(Init Duration + Duration): custom runtimes are billed for init. */
  billedDurationMs: number;
  /** Cold starts: spawn to the answer (t2 - t0), how published cold-start numbers are counted. */
  coldStartMs?: number;
  /** Event delivered until the answer arrived; durationMs adds what the runtime did after it. */
  responseMs?: number;
  memorySizeMb: number;
  /** Peak RSS of the runtime's process tree so far, in MB (rounded up), as Lambda reports it. */
  maxMemoryUsedMb: number;
  maxMemoryUsedBytes: number;
  /** Wall-clock bounds of the invocation (Unix epoch ms), queueing excluded. */
  startedAtMs: number;
  endedAtMs: number;
  /** The platform lines written for this invocation (START, END, REPORT, ...). */
  lines: string[];
  /** The runtime's output during this invocation (and its init), when output is `capture`. */
  logs?: string;
}

interface Instance {
  readonly process: RuntimeProcess;
  /** Its cgroup, when it has one. */
  readonly sandbox?: Sandbox;
  /** Stopped for going over the memory size (the cgroup's OOM killer, or the sampling watch). */
  outOfMemory?: boolean;
  readonly memory: ProcessTreeMemory;
  sampler?: NodeJS.Timeout;
  /** performance.now() of the first GET /next. */
  initDoneAt?: number;
  /** Exited, failed its init or was timed out: the next invocation starts a new one. */
  gone: boolean;
  retired?: Promise<void>;
}

interface Active {
  /** Its deadline is set when the function timeout starts: at the end of init. */
  readonly invocation: Invocation & { deadlineMs: number };
  /** Replaced when an init that ran past Lambda's init limit is tried again. */
  instance: Instance;
  readonly coldStart: boolean;
  readonly startedAt: number;
  readonly startedAtEpoch: number;
  deliveredAt?: number;
  startLogged?: boolean;
  /** The init limit's timer until init is done, then the function timeout's. */
  timer?: NodeJS.Timeout;
  timerKind?: 'init' | 'function';
  /** The runtime's answer: the invocation still runs until the runtime asks for the next event. */
  response?: Ending;
  readonly onResponse?: (response: InvokeResponse) => void;
  /** Claimed by whichever ending came first; later ones are ignored. */
  settled: boolean;
  readonly lines: string[];
  resolve(result: InvokeResult): void;
  reject(error: Error): void;
}

interface Ending {
  outcome: InvokeOutcome;
  statusCode: number;
  payload: Buffer | string;
  errorType?: string;
  endedAt?: number;
  /** performance.now() when the runtime posted its answer. */
  respondedAt?: number;
  /** The function timeout ended it after the runtime had answered: REPORT says `Status: timeout`. */
  timedOut?: boolean;
}

/** Time allowed for a request sent just before the process exited to be read, before calling it a crash. */
const EXIT_GRACE_MS = 20;
/** A runtime that posted /init/error exits by itself; it is killed if it has not after this long. */
const INIT_ERROR_EXIT_GRACE_MS = 1000;
const MIB = 1024 * 1024;
/** The line about missing cgroups is said once per process. */
let saidNoSandbox = false;
/** Lambda's limit on the init phase of an on-demand function. */
const INIT_TIMEOUT_SECONDS = 10;
/** Captured output kept per invocation; beyond it the rest is dropped (the runtime is still drained). */
const MAX_CAPTURED_BYTES = 8 * 1024 * 1024;

/**
 * A local Lambda execution environment: the Runtime API server plus the bootstrap process it serves,
 * started lazily, kept warm, re-initialised after a crash, a timeout or an init error. Invocations run one
 * at a time, in the order they were made.
 */
export class Emulator {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly initTimeoutSeconds: number;
  readonly taskRoot: string;
  readonly handler: string;
  private readonly argv: readonly string[];
  private readonly server: RuntimeApiServer;
  private readonly arn: string;
  private instance: Instance | undefined;
  private active: Active | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private captured: Buffer[] = [];
  private capturedBytes = 0;

  private constructor(private readonly options: EmulatorOptions) {
    const executable = options.executable === undefined ? undefined : resolve(options.executable);
    // The runtime runs in the task root, so file arguments given relative to our cwd are made absolute.
    if (options.cmd && options.cmd.length > 0)
      this.argv = options.cmd.map((arg, i) => (i > 0 && isFile(arg) ? resolve(arg) : arg));
    else if (executable) this.argv = [executable];
    else throw new Error('Emulator: give an executable or a cmd');
    const mainFile = executable ?? options.cmd?.slice(1).find(isFile);
    this.taskRoot = resolve(options.taskRoot ?? (mainFile ? dirname(resolve(mainFile)) : process.cwd()));
    this.handler = options.handler ?? basename(mainFile ?? this.argv[0] ?? 'bootstrap').replace(/\.dll$/, '');
    this.functionName = options.functionName ?? DEFAULT_FUNCTION_NAME;
    this.memoryMb = checkMemoryMb(options.memoryMb ?? DEFAULT_MEMORY_MB, 'Emulator: memoryMb');
    this.timeoutSeconds = checkTimeoutSeconds(
      options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      'Emulator: timeoutSeconds',
    );
    this.initTimeoutSeconds = options.initTimeoutSeconds ?? INIT_TIMEOUT_SECONDS;
    if (!(this.initTimeoutSeconds > 0)) throw new Error('Emulator: initTimeoutSeconds must be positive');
    this.arn = functionArn(this.functionName);
    this.server = new RuntimeApiServer({
      onNext: (initDone) => this.onNext(initDone),
      onDelivered: (invocation) => this.onDelivered(invocation),
      onOutcome: (invocation, outcome) => this.onOutcome(invocation, outcome),
      onInitError: (body, errorType) => this.onInitError(body, errorType),
      // The process exits right after reporting: sample it while it is still there.
      onInitErrorArriving: () => this.instance?.memory.sample(),
    });
  }

  /** Starts the Runtime API server; the runtime process itself starts on the first invocation. */
  static async start(options: EmulatorOptions): Promise<Emulator> {
    const emulator = new Emulator(options);
    await RuntimeApiServer.warmUp();
    await emulator.server.listen(options.port ?? 0);
    return emulator;
  }

  /** AWS_LAMBDA_RUNTIME_API as given to the runtime: `127.0.0.1:<port>`. */
  get runtimeApi(): string {
    return this.server.address;
  }

  get port(): number {
    return this.server.port;
  }

  /** The runtime process currently warm, if any. */
  get pid(): number | undefined {
    return this.instance && !this.instance.gone ? this.instance.process.pid : undefined;
  }

  /** Open connections to the Runtime API (a warm runtime keeps one or two alive). */
  connectionCount(): Promise<number> {
    return this.server.connectionCount();
  }

  /** Queues one invocation; resolves with its result whatever the function did (rejects only on close). */
  invoke(event?: InvokeEvent, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.closing) return Promise.reject(new Error('the emulator is closed'));
    const payload = encodeEvent(event);
    const run = this.tail.then(() => this.run(payload, options));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Stops everything: the runtime's process group, the server, every timer. Queued invocations reject. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const active = this.active;
    if (active && !active.settled) {
      active.settled = true;
      clearTimeout(active.timer);
      this.active = undefined;
      active.reject(new Error('the emulator was closed during the invocation'));
    }
    if (this.instance) await this.retire(this.instance);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.server.close();
  }

  private async run(event: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    if (this.closing) throw new Error('the emulator is closed');
    const requestId = newRequestId();
    const startedAt = performance.now();
    // One clock for every epoch time: Date.now() and performance.now() drift apart, and a result that
    // mixed them could end after the next one started.
    const startedAtEpoch = epoch(startedAt);
    const traceId = options.traceId ?? newTraceId(startedAtEpoch);
    if (event.length > MAX_PAYLOAD_BYTES) {
      const message = `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the Invoke operation`;
      // Lambda's Invoke API refuses it before any execution environment is involved: no log lines.
      return this.platformResult(requestId, traceId, startedAt, startedAtEpoch, {
        outcome: 'request-too-large',
        statusCode: 413,
        payload: errorBody('RequestEntityTooLarge', message),
        errorType: 'RequestEntityTooLarge',
      });
    }

    if (this.instance?.gone) await this.retire(this.instance);
    let coldStart = false;
    if (!this.instance) {
      coldStart = true;
      try {
        if (this.closing) throw new Error('the emulator is closed');
        this.instance = await this.spawn();
        // close() may have come while the process was starting; it found no instance to stop then.
        if (this.closing) {
          await this.retire(this.instance);
          throw new Error('the emulator is closed');
        }
      } catch (error) {
        if (!(error instanceof SpawnError)) throw error;
        // Lambda's answer when bootstrap cannot be exec'd (missing, not executable, wrong architecture).
        return this.platformResult(requestId, traceId, startedAt, startedAtEpoch, {
          outcome: 'init-error',
          statusCode: 502,
          payload: errorBody(
            'Runtime.InvalidEntrypoint',
            entrypointErrorMessage(requestId, error.path, error.code),
          ),
          errorType: 'Runtime.InvalidEntrypoint',
        });
      }
    }
    const instance = this.instance;
    const invocation = {
      requestId,
      event,
      deadlineMs: 0,
      functionArn: this.arn,
      traceId,
      clientContext: asHeader(options.clientContext),
      cognitoIdentity: asHeader(options.cognitoIdentity),
      tenantId: options.tenantId,
    };
    return new Promise<InvokeResult>((resolvePromise, reject) => {
      const active: Active = {
        invocation,
        instance,
        coldStart,
        startedAt,
        startedAtEpoch,
        settled: false,
        lines: [],
        onResponse: options.onResponse,
        resolve: resolvePromise,
        reject,
      };
      this.active = active;
      if (instance.initDoneAt === undefined) this.startInitTimer(active);
      else this.startFunctionTimer(active);
      if (instance.gone) {
        // It died between spawn and now; its exit handler may already have run.
        this.settle(active, this.exitEnding(active, instance.process.exit ?? { code: null, signal: null }));
        return;
      }
      this.server.deliver(invocation);
    });
  }

  /** Lambda's init limit, counted from the spawn. */
  private startInitTimer(active: Active): void {
    const remaining = active.instance.process.spawnedAt + this.initTimeoutSeconds * 1000 - performance.now();
    active.timerKind = 'init';
    active.timer = setTimeout(() => void this.onInitTimeout(active), Math.max(0, remaining));
  }

  /** The function timeout starts once init is done; the runtime sees it as the deadline header. */
  private startFunctionTimer(active: Active): void {
    clearTimeout(active.timer);
    const now = performance.now();
    active.invocation.deadlineMs = Math.round(epoch(now) + this.timeoutSeconds * 1000);
    active.timerKind = 'function';
    active.timer = setTimeout(() => void this.onTimeout(active), this.timeoutSeconds * 1000);
  }

  private async spawn(): Promise<Instance> {
    this.server.resetRuntime();
    const sandbox = this.sandbox();
    const process = await RuntimeProcess.start({
      beforeExec: (pid) => this.enter(sandbox, pid),
      argv: this.argv,
      cwd: this.taskRoot,
      env: runtimeEnvironment({
        runtimeApi: this.server.address,
        functionName: this.functionName,
        handler: this.handler,
        memoryMb: this.memoryMb,
        taskRoot: this.taskRoot,
        extra: this.options.env,
      }),
      output: this.options.output ?? 'inherit',
      onOutput: (chunk, stream) => this.onOutput(chunk, stream),
    });
    const memory = new ProcessTreeMemory(process.pid);
    const instance: Instance = {
      process,
      memory,
      sandbox: sandbox?.entered ? sandbox.sandbox : undefined,
      gone: false,
    };
    if (sandbox && !sandbox.entered) void sandbox.sandbox.remove();
    // Without a cgroup, the memory size is held by sampling, from the start (it costs a /proc read now and then).
    if (this.options.memoryLimit && !instance.sandbox) this.startSampler(instance);
    void process.exited.then((info) => this.onExit(instance, info));
    return instance;
  }

  /** The cgroup the next runtime goes into, when this emulator limits CPU or memory and one can be made. */
  private sandbox(): { sandbox: Sandbox; entered: boolean } | undefined {
    const cpus = this.options.cpu === 'lambda' ? lambdaCpus(this.memoryMb) : undefined;
    const memoryBytes = this.options.memoryLimit ? this.memoryMb * MIB : undefined;
    if (cpus === undefined && memoryBytes === undefined) return undefined;
    const made = createSandbox({ cpus, memoryBytes });
    if ('sandbox' in made) return { sandbox: made.sandbox, entered: false };
    this.sayNoSandbox(made.unavailable);
    return undefined;
  }

  private enter(sandbox: { sandbox: Sandbox; entered: boolean } | undefined, pid: number): void {
    if (!sandbox) return;
    try {
      sandbox.sandbox.add(pid);
      sandbox.entered = true;
    } catch (error) {
      this.sayNoSandbox(
        `cannot move the runtime into its ${sandbox.sandbox.kind} cgroup: ${(error as Error).message}`,
      );
    }
  }

  /** One line per process, however many emulators (watch runs several). */
  private sayNoSandbox(reason: string): void {
    if (saidNoSandbox) return;
    saidNoSandbox = true;
    const what = [
      this.options.cpu === 'lambda'
        ? `Lambda's CPU share (${lambdaCpus(this.memoryMb).toFixed(3)} vCPU for ${this.memoryMb} MB)`
        : undefined,
      this.options.memoryLimit ? `a ${this.memoryMb} MB memory limit` : undefined,
    ]
      .filter(Boolean)
      .join(' or ');
    const fallback = this.options.memoryLimit ? '; its memory is watched by sampling instead' : '';
    this.options.log?.(
      `aot-lambda: cannot give the runtime ${what}: no usable cgroup (${reason}). It runs with the whole machine's CPU${fallback}.`,
    );
  }

  /** Memory samples between invocations' ends; with a memory limit and no cgroup, also the limit's watch. */
  private startSampler(instance: Instance): void {
    if (instance.sampler) return;
    const limit = this.options.memoryLimit && !instance.sandbox ? this.memoryMb * MIB : undefined;
    instance.sampler = setInterval(() => {
      const peak = instance.memory.sample();
      if (limit !== undefined && peak > limit && !instance.gone) {
        instance.outOfMemory = true;
        instance.process.killGroup();
      }
    }, this.options.memorySampleIntervalMs ?? 100);
    instance.sampler.unref();
  }

  /** Makes sure the instance's process group is dead and the server forgot it. Idempotent. */
  private retire(instance: Instance, graceMs = 0): Promise<void> {
    instance.gone = true;
    instance.retired ??= (async () => {
      if (graceMs > 0) await within(instance.process.exited, graceMs);
      await instance.process.terminate();
      clearInterval(instance.sampler);
      await instance.sandbox?.remove();
      if (this.instance === instance) {
        this.instance = undefined;
        this.server.resetRuntime();
      }
    })();
    return instance.retired;
  }

  private onOutput(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    this.options.onOutput?.(chunk, stream);
    if (this.capturedBytes >= MAX_CAPTURED_BYTES) return;
    this.captured.push(chunk);
    this.capturedBytes += chunk.length;
  }

  private onNext(initDone: boolean): void {
    const now = performance.now();
    const instance = this.instance;
    if (!instance) return;
    const active =
      this.active && this.active.instance === instance && !this.active.settled ? this.active : undefined;
    if (initDone && instance.initDoneAt === undefined) {
      instance.initDoneAt = now;
      // No memory sample here: VmHWM keeps the peak until the end of the invocation reads it, and reading
      // /proc now would hold up the event loop just when the runtime's answer comes in.
      if (active?.timerKind === 'init') this.startFunctionTimer(active);
      return;
    }
    // Asking for the next event is what ends an invocation on Lambda, not posting the response.
    if (active?.response) {
      active.settled = true;
      void this.finish(active, { ...active.response, endedAt: now });
    }
  }

  private onDelivered(invocation: Invocation): void {
    const active = this.active;
    if (!active || active.invocation !== invocation) return;
    this.logStart(active);
    // After START is written: the runtime gets the event only now, so the time to write a line is not its.
    active.deliveredAt = performance.now();
  }

  /** START comes first even when the runtime never got the event (it crashed or timed out in init). */
  private logStart(active: Active): void {
    if (active.startLogged) return;
    active.startLogged = true;
    this.emit(active.lines, startLine(active.invocation.requestId, FUNCTION_VERSION));
  }

  private onOutcome(invocation: Invocation, outcome: RuntimeOutcome): void {
    const active = this.active;
    if (!active || active.invocation !== invocation || active.settled || active.response) return;
    const outcomes = {
      response: 'success',
      error: 'function-error',
      'response-too-large': 'response-too-large',
    } as const;
    const response: Ending = {
      outcome: outcomes[outcome.kind],
      statusCode: 200,
      payload: outcome.body,
      errorType: outcome.kind === 'response' ? undefined : outcome.errorType,
      respondedAt: performance.now(),
    };
    active.response = response;
    if (!active.onResponse) return;
    try {
      active.onResponse({
        requestId: invocation.requestId,
        outcome: response.outcome,
        ok: response.outcome === 'success',
        statusCode: response.statusCode,
        errorType: response.errorType,
        payload: response.payload.toString('utf8'),
      });
    } catch (error) {
      this.options.log?.(`onResponse failed: ${(error as Error).message}`);
    }
  }

  private onInitError(body: Buffer, errorType: string): void {
    const instance = this.instance;
    if (!instance) return;
    const active = this.active;
    if (active && active.instance === instance) {
      this.settle(active, { outcome: 'init-error', statusCode: 502, payload: body, errorType });
    }
    void this.retire(instance, INIT_ERROR_EXIT_GRACE_MS);
  }

  private async onExit(instance: Instance, info: ExitInfo): Promise<void> {
    const exitedAt = performance.now();
    instance.gone = true;
    clearInterval(instance.sampler);
    await instance.process.drainOutput();
    if (this.closing) return;
    // Let an answer written just before the exit be read first: it is an answer, not a crash.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const active = this.active;
      if (active && active.instance === instance && !active.settled) {
        // After its answer, an exit ends the invocation as asking for the next event would have.
        const ending = active.response ?? this.exitEnding(active, info);
        this.settle(active, { ...ending, endedAt: exitedAt });
      }
      void this.retire(instance);
    }, EXIT_GRACE_MS);
    this.timers.add(timer);
  }

  private exitEnding(active: Active, info: ExitInfo): Ending {
    const message = exitErrorMessage(active.invocation.requestId, info.code, info.signal);
    const instance = active.instance;
    if (instance.sandbox?.oomKilled()) instance.outOfMemory = true;
    // Lambda's words for a runtime killed at its memory size: the exit, typed Runtime.OutOfMemory.
    const errorType = instance.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
    this.logStart(active);
    this.emit(active.lines, message, errorType);
    return { outcome: 'exit-error', statusCode: 502, payload: errorBody(errorType, message), errorType };
  }

  private async onTimeout(active: Active): Promise<void> {
    if (active.settled) return;
    active.settled = true;
    const endedAt = performance.now();
    active.instance.memory.sample();
    this.logStart(active);
    this.emit(active.lines, timeoutLine(active.invocation.requestId, this.timeoutSeconds));
    await this.retire(active.instance);
    // A runtime that answered but never asked for the next event: the caller keeps the answer it got.
    const ending: Ending = active.response
      ? { ...active.response, timedOut: true }
      : {
          outcome: 'timeout',
          statusCode: 200,
          payload: timeoutMessage(this.timeoutSeconds),
          errorType: 'Sandbox.Timedout',
        };
    await this.finish(active, { ...ending, endedAt });
  }

  /**
   * Init ran past Lambda's init limit. Lambda logs it, stops the environment and initialises again as part
   * of the invocation, under the function timeout (a "suppressed init"); so does this.
   */
  private async onInitTimeout(active: Active): Promise<void> {
    const instance = active.instance;
    if (active.settled || instance.initDoneAt !== undefined) return;
    const initMs = performance.now() - instance.process.spawnedAt;
    this.emit(active.lines, initReportLine(initMs, 'timeout'));
    this.startFunctionTimer(active);
    await this.retire(instance);
    if (active.settled || this.closing) return;
    try {
      this.instance = await this.spawn();
    } catch (error) {
      if (!(error instanceof SpawnError)) throw error;
      // It started a moment ago; if it cannot now, say so as a crash would.
      this.settle(active, this.exitEnding(active, { code: null, signal: null }));
      return;
    }
    if (active.settled || this.closing) return void this.retire(this.instance);
    active.instance = this.instance;
    this.server.deliver(active.invocation);
  }

  private settle(active: Active, ending: Ending): void {
    if (active.settled) return;
    active.settled = true;
    void this.finish(active, ending);
  }

  private async finish(active: Active, ending: Ending): Promise<void> {
    clearTimeout(active.timer);
    if (this.active === active) this.active = undefined;
    const endedAt = ending.endedAt ?? performance.now();
    // The runtime wrote its logs before it answered; one turn of the loop lets those pipe reads land here.
    if (this.options.output === 'capture') await new Promise((resolveTurn) => setImmediate(resolveTurn));
    const instance = active.instance;
    // VmHWM is a high-water mark: a sample now covers the invocation. A tree the limit stopped used it all
    // (VmHWM counts shared file pages the cgroup does not, so it may read more than the limit: Lambda says the size).
    const sampled = instance.memory.sample();
    const peakBytes = instance.outOfMemory ? this.memoryMb * MIB : sampled;
    if (!instance.gone) this.startSampler(instance);
    this.logStart(active);
    const spawnedAt = instance.process.spawnedAt;
    const initDurationMs = active.coldStart ? (instance.initDoneAt ?? endedAt) - spawnedAt : undefined;
    const durationMs = active.deliveredAt === undefined ? 0 : endedAt - active.deliveredAt;
    const respondedAt = ending.respondedAt;
    const result = this.result(active.invocation.requestId, active.invocation.traceId, active.lines, ending, {
      coldStart: active.coldStart,
      pid: instance.process.pid,
      initDurationMs,
      durationMs,
      coldStartMs: active.coldStart ? (respondedAt ?? endedAt) - spawnedAt : undefined,
      responseMs:
        respondedAt === undefined || active.deliveredAt === undefined
          ? undefined
          : respondedAt - active.deliveredAt,
      peakBytes,
      startedAtEpoch: active.startedAtEpoch,
      endedAtEpoch: epoch(endedAt),
    });
    active.resolve(result);
  }

  /** A result the platform produced without the runtime answering (oversized event, unstartable executable). */
  private platformResult(
    requestId: string,
    traceId: string,
    startedAt: number,
    startedAtEpoch: number,
    ending: Ending,
  ): InvokeResult {
    const endedAt = performance.now();
    const lines: string[] = [];
    const logged = ending.outcome !== 'request-too-large';
    if (logged) this.emit(lines, startLine(requestId, FUNCTION_VERSION));
    return this.result(requestId, traceId, lines, ending, {
      coldStart: ending.outcome === 'init-error',
      initDurationMs: ending.outcome === 'init-error' ? endedAt - startedAt : undefined,
      durationMs: 0,
      peakBytes: 0,
      startedAtEpoch,
      endedAtEpoch: epoch(endedAt),
      logged,
    });
  }

  private result(
    requestId: string,
    traceId: string,
    lines: string[],
    ending: Ending,
    m: {
      coldStart: boolean;
      pid?: number;
      initDurationMs?: number;
      durationMs: number;
      coldStartMs?: number;
      responseMs?: number;
      peakBytes: number;
      startedAtEpoch: number;
      endedAtEpoch: number;
      /** false: the request never reached the function, so no END / REPORT either. */
      logged?: boolean;
    },
  ): InvokeResult {
    const maxMemoryUsedMb = Math.ceil(m.peakBytes / (1024 * 1024));
    const billedDurationMs =
      m.logged === false ? 0 : Math.max(1, Math.ceil(m.durationMs + (m.initDurationMs ?? 0)));
    if (m.logged !== false) {
      const platformFailure =
        ending.outcome === 'timeout' || ending.timedOut
          ? 'timeout'
          : isPlatformError(ending.outcome)
            ? 'error'
            : undefined;
      this.emit(
        lines,
        endLine(requestId),
        reportLine({
          requestId,
          initDurationMs: m.initDurationMs,
          durationMs: m.durationMs,
          billedDurationMs,
          memorySizeMb: this.memoryMb,
          maxMemoryUsedMb,
          status: platformFailure,
          errorType: ending.errorType,
        }),
      );
    }
    const result: InvokeResult = {
      requestId,
      traceId,
      outcome: ending.outcome,
      ok: ending.outcome === 'success',
      statusCode: ending.statusCode,
      errorType: ending.errorType,
      payload: typeof ending.payload === 'string' ? ending.payload : ending.payload.toString('utf8'),
      coldStart: m.coldStart,
      pid: m.pid,
      initDurationMs: m.initDurationMs,
      durationMs: m.durationMs,
      billedDurationMs,
      coldStartMs: m.coldStartMs,
      responseMs: m.responseMs,
      memorySizeMb: this.memoryMb,
      maxMemoryUsedMb,
      maxMemoryUsedBytes: m.peakBytes,
      startedAtMs: m.startedAtEpoch,
      endedAtMs: m.endedAtEpoch,
      lines,
    };
    if ((this.options.output ?? 'inherit') === 'capture') {
      result.logs = Buffer.concat(this.captured).toString('utf8');
      this.captured = [];
      this.capturedBytes = 0;
    }
    return result;
  }

  private emit(lines: string[], ...newLines: string[]): void {
    for (const line of newLines) {
      lines.push(line);
      this.options.log?.(line);
    }
  }
}

/** Starts the Runtime API (and, lazily, the runtime): the library entry point used by the CLI and the tests. */
export function startRuntimeApi(options: EmulatorOptions): Promise<Emulator> {
  return Emulator.start(options);
}

/** performance.now() as Unix epoch milliseconds. */
function epoch(now: number): number {
  return performance.timeOrigin + now;
}

function isPlatformError(outcome: InvokeOutcome): boolean {
  return outcome === 'init-error' || outcome === 'exit-error';
}

function encodeEvent(event: InvokeEvent): Buffer {
  if (event === undefined) return Buffer.from('{}');
  if (Buffer.isBuffer(event)) return event;
  if (event instanceof Uint8Array) return Buffer.from(event);
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  return Buffer.from(JSON.stringify(event), 'utf8');
}

function asHeader(value: string | object | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
