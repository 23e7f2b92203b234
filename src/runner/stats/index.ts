// The statistics of an evaluation: lifts with intervals, Holm adjustment, sample-ratio mismatch and power.
export * from './distributions.js';
export * from './summary.js';
export * from './lift.js';
export * from './holm.js';
export * from './srm.js';
export * from './power.js';
