/** Facts about processes that convert, new and the emulator share. */

/** The signals a user or a supervisor sends to stop a run (Ctrl-C, kill, a closed terminal): writes hold them. */
export const interruptSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Whether a process with this pid exists (one of another user's included: kill says EPERM, not ESRCH). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
