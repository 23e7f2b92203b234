// The numerics of customer lifetime value: BG/NBD and Pareto/NBD purchase models, the Gamma-Gamma spend model, their
// maximum likelihood fits on grouped histories, and the discounted CLV. Pure functions: no SQL, no plan (the SQL
// that summarises purchases into the groups is clv-summary.ts, beside these).
export * from './histories.js';
export * from './fit.js';
export * from './bg-nbd.js';
export * from './pareto-nbd.js';
export * from './gamma-gamma.js';
export * from './clv.js';
