/**
 * The process-wide stop request: Ctrl-C, SIGTERM or SIGHUP set it once, and
 * every long phase (extraction, transcoding, loading, the commit itself)
 * either listens to its signal or checks it between steps. Work that sees it
 * throws `InterruptedError`, so transactions roll back and temporary files are
 * removed on the normal error path.
 */
const controller = new AbortController();
let reason: string | undefined;

/** Raised where work stops because the user (or the system) asked it to. */
export class InterruptedError extends Error {
  constructor(readonly signalName: string) {
    super(`stopped by ${signalName}`);
    this.name = 'InterruptedError';
  }
}

/** Returns the abort signal raised when a stop is requested. */
export function interruptSignal(): AbortSignal {
  return controller.signal;
}

/** Requests a stop (idempotent); returns whether this call was the first. */
export function requestInterrupt(signalName: string): boolean {
  if (reason) return false;
  reason = signalName;
  controller.abort(new InterruptedError(signalName));
  return true;
}

/** Returns the signal name that stopped the process, if any. */
export function interruptReason(): string | undefined {
  return reason;
}

/** Throws InterruptedError when a stop was requested; returns nothing otherwise. */
export function throwIfInterrupted(): void {
  if (reason) throw new InterruptedError(reason);
}
