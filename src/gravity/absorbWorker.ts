import { workerData } from 'node:worker_threads';
import { Absorber } from './fixedEffects.js';
import { CONTROL } from './columnAbsorber.js';

// The worker side of ColumnAbsorber: waits for a job, recomputes the level weights from the shared
// weights, takes columns until none is left, reports its sweeps and signals completion.
const d = workerData as {
  sets: { name: string; ids: SharedArrayBuffer; levels: number }[];
  n: number;
  weights: SharedArrayBuffer;
  columns: SharedArrayBuffer[];
  control: SharedArrayBuffer;
  tolerance: SharedArrayBuffer;
};
const ctl = new Int32Array(d.control);
const tolerance = new Float64Array(d.tolerance);
const weights = new Float64Array(d.weights);
const columns = d.columns.map((b) => new Float64Array(b));
const absorber = new Absorber(
  d.sets.map((s) => ({ name: s.name, ids: new Int32Array(s.ids), levels: s.levels })),
  d.n,
);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, CONTROL.SEQ, seen);
  seen = Atomics.load(ctl, CONTROL.SEQ);
  if (Atomics.load(ctl, CONTROL.STOP)) break;
  let sweeps = 0;
  try {
    absorber.setWeights(weights);
    const end = Atomics.load(ctl, CONTROL.END);
    for (;;) {
      const c = Atomics.add(ctl, CONTROL.NEXT, 1);
      if (c >= end) break;
      sweeps += absorber.residualize(columns[c], tolerance[0]);
    }
  } catch {
    Atomics.store(ctl, CONTROL.FAILED, 1);
  }
  Atomics.store(ctl, CONTROL.SWEEPS, sweeps);
  Atomics.store(ctl, CONTROL.DONE, seen);
  Atomics.notify(ctl, CONTROL.DONE);
}
