/**
 * The pipeline behind every command, as functions of explicit options: the compile core
 * (`src/core/`, no Node dependency: sessions, elaboration, pass pipelines, WGSL planning, binding
 * tensors) and what needs Node (`src/node/`: files and the runner of each target).
 */
export * from './core/session.js';
export * from './core/plan.js';
export * from './core/bind.js';
export * from './node/run.js';
export * from './core/grad.js';
export * from './core/adamw.js';
export * from './node/train.js';
