import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Absorber, type FixedEffectSet } from './fixedEffects.js';

// Layout of the shared control block (Int32Array).
const SEQ = 0; // job number, bumped by the main thread to start a job
const DONE = 1; // job number the worker finished last
const NEXT = 2; // next column to take (Atomics.add)
const END = 3; // one past the last column of the job
const STOP = 4; // 1: the worker exits
const SWEEPS = 5; // sweeps the worker made in the job
const FAILED = 6; // 1: the worker's projections did not converge

/** Below this many observations a second thread costs more than it saves. */
const PARALLEL_MIN_ROWS = 50_000;

/**
 * Partials fixed effects out of several columns at once, sharing them out
 * between the main thread and a worker thread when the machine has a second
 * core and the data is large enough; returns identical numbers either way
 * (each column is processed by the same algorithm, only on another thread).
 * The columns live in shared memory; both threads take the next unprocessed
 * column until none is left.
 */
export class ColumnAbsorber {
  private readonly absorber: Absorber;
  private readonly weights: Float64Array;
  private readonly columns: Float64Array[];
  private readonly worker?: Worker;
  private readonly control: Int32Array;
  private readonly tolerance: Float64Array;
  private seq = 0;

  constructor(
    sets: FixedEffectSet[],
    readonly n: number,
    columnCount: number,
    threads = availableParallelism(),
  ) {
    const parallel = threads > 1 && n >= PARALLEL_MIN_ROWS && columnCount > 1 && sets.length > 1;
    const alloc = (bytes: number) => (parallel ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const sharedSets = sets.map((s) => {
      const ids = new Int32Array(alloc(s.ids.length * 4));
      ids.set(s.ids);
      return { name: s.name, ids, levels: s.levels };
    });
    this.weights = new Float64Array(alloc(n * 8)).fill(1);
    this.columns = Array.from({ length: columnCount }, () => new Float64Array(alloc(n * 8)));
    this.control = new Int32Array(alloc(8 * 4));
    this.tolerance = new Float64Array(alloc(8));
    this.absorber = new Absorber(sharedSets, n);
    if (parallel) {
      this.worker = new Worker(new URL('./absorbWorker.js', import.meta.url), {
        workerData: {
          sets: sharedSets.map((s) => ({ name: s.name, ids: s.ids.buffer, levels: s.levels })),
          n,
          weights: this.weights.buffer,
          columns: this.columns.map((c) => c.buffer),
          control: this.control.buffer,
          tolerance: this.tolerance.buffer,
        },
      });
      this.worker.unref();
    }
  }

  /** Returns whether a worker thread shares the work. */
  get parallel(): boolean {
    return this.worker !== undefined;
  }

  /** Returns column i (shared memory); write the values to partial out into it. */
  column(i: number): Float64Array {
    return this.columns[i];
  }

  /** Sets the observation weights for the next projections; returns nothing. */
  setWeights(w: Float64Array): void {
    this.weights.set(w);
    this.absorber.setWeights(this.weights);
  }

  /** Partials the fixed effects out of columns from..to−1 in place; returns the total number of sweeps. */
  residualize(tol: number, from = 0, to = this.columns.length): number {
    if (!this.worker) {
      let sweeps = 0;
      for (let c = from; c < to; c++) sweeps += this.absorber.residualize(this.columns[c], tol);
      return sweeps;
    }
    const ctl = this.control;
    this.tolerance[0] = tol;
    Atomics.store(ctl, NEXT, from);
    Atomics.store(ctl, END, to);
    Atomics.store(ctl, SWEEPS, 0);
    this.seq++;
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ);
    let sweeps = 0;
    for (;;) {
      const c = Atomics.add(ctl, NEXT, 1);
      if (c >= to) break;
      sweeps += this.absorber.residualize(this.columns[c], tol);
    }
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === this.seq) break;
      Atomics.wait(ctl, DONE, done, 60_000);
    }
    if (Atomics.load(ctl, FAILED)) throw new Error('fixed effects did not converge (in the worker thread)');
    return sweeps + Atomics.load(ctl, SWEEPS);
  }

  /** Stops the worker thread; returns nothing. */
  close(): void {
    if (!this.worker) return;
    Atomics.store(this.control, STOP, 1);
    this.seq++;
    Atomics.store(this.control, SEQ, this.seq);
    Atomics.notify(this.control, SEQ);
    void this.worker.terminate();
  }
}

export const CONTROL = { SEQ, DONE, NEXT, END, STOP, SWEEPS, FAILED };
