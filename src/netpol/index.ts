// Public surface of the network policy model, for the suite and the cluster probe runner.
export * from './topology.js';
export * from './labels.js';
export * from './cidr.js';
export * from './policies.js';
export * from './validate.js';
export * from './simulator.js';
export * from './probe.js';
export * from './reproduce.js';
export * from './truth-table.js';
export * from './enforcement.js';
export * from './binding.js';
export * from './scenarios.js';
export * from './manifests.js';
