import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';

/**
 * Peak resident memory of a process tree, read from /proc. Each process's VmHWM is its own high-water mark,
 * so the sum over the live tree at any sample is a faithful lower bound of the tree's peak, and equals it
 * for the usual single-process runtime. Sampling now and then catches children that exit before the end.
 */
export class ProcessTreeMemory {
  private peak = 0;

  constructor(private readonly rootPid: number) {}

  /** Reads the tree now, folds it into the peak and returns the peak in bytes. */
  sample(): number {
    let total = 0;
    for (const pid of processTree(this.rootPid)) total += readPeakRssBytes(pid);
    if (total > this.peak) this.peak = total;
    return this.peak;
  }
}

/** VmHWM of one process in bytes; 0 once it is gone (or is a zombie, which has no memory). */
export function readPeakRssBytes(pid: number): number {
  const status = readProcFile(`/proc/${pid}/status`);
  if (status === undefined) return 0;
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** The root and all its descendants that are alive now. */
export function processTree(rootPid: number): number[] {
  const tree = [rootPid];
  const children = childrenReader(rootPid);
  for (let i = 0; i < tree.length; i++) tree.push(...children(tree[i] as number));
  return tree;
}

type ChildrenOf = (pid: number) => number[];

let supportsChildrenFiles: boolean | undefined;

/**
 * /proc/<pid>/task/<tid>/children is cheap but needs CONFIG_PROC_CHILDREN, which some kernels (Firecracker
 * guests among them) leave out; without it, one scan of /proc/<pid>/stat gives every parent link.
 */
function childrenReader(rootPid: number): ChildrenOf {
  if (supportsChildrenFiles === undefined) {
    try {
      readFileSync(`/proc/self/task/${process.pid}/children`);
      supportsChildrenFiles = true;
    } catch {
      supportsChildrenFiles = false;
    }
  }
  if (supportsChildrenFiles) return childrenFromTaskFiles;
  const byParent = parentLinks(rootPid);
  return (pid) => byParent.get(pid) ?? [];
}

function childrenFromTaskFiles(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const result: number[] = [];
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
      if (text) result.push(...text.split(/\s+/).map(Number));
    } catch {
      // the thread ended between readdir and read
    }
  }
  return result;
}

function parentLinks(rootPid: number): Map<number, number[]> {
  // Pids are handed out in increasing order until they wrap at pid_max; while the last one handed out is
  // still above the root's, every descendant has a higher pid than the root, and the rest need no reading.
  const lastPid = Number(readProcFile('/proc/sys/kernel/ns_last_pid'));
  const lowest = Number.isInteger(lastPid) && lastPid >= rootPid ? rootPid : 0;
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= lowest) continue;
    const parent = readParentPid(pid);
    if (parent === undefined) continue;
    const siblings = byParent.get(parent);
    if (siblings) siblings.push(pid);
    else byParent.set(parent, [pid]);
  }
  return byParent;
}

/** One buffer for all the small /proc reads: a scan touches every process, so allocation per read adds up. */
const procBuffer = Buffer.alloc(4096);

function readProcFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const length = readSync(fd, procBuffer, 0, procBuffer.length, 0);
    return procBuffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Field 4 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so parse after the last `)`. */
function readParentPid(pid: number): number | undefined {
  const stat = readProcFile(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 2);
  const parent = Number(fields[1]);
  return Number.isInteger(parent) ? parent : undefined;
}
