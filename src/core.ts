/**
 * The compile core, the package entry `bertc/core`: everything from IR text to kernel plans, cost
 * reports and C/WGSL text, over strings and bytes. It imports nothing from Node (no file system,
 * no child process, no browser driver), so a bundler can build it for a browser page;
 * test/core-bundle.test.ts bundles it for `platform: 'browser'` and fails on any Node built-in.
 * Files, C compilers and Chromium live in `src/node/` and the CLI.
 */
export { Session, loadText, build, type BuildOptions } from './core/session.js';
export { initialModule, pipelineSteps, planBuilt, planProgram, planWgsl, policyPlans, type Plan, type PlanOptions, type PolicyPlan } from './core/plan.js';
export { bindInputs, bindWeights, checkInputValues, setsFromInputs } from './core/bind.js';
export { randomInputs, randomWeights, rng } from './core/madeUp.js';
export { CompileError, DiagnosticError, type Diagnostic } from './diag/diagnostics.js';
export { CATALOGUE } from './diag/catalogue.js';
export { renderDiagnostics } from './diag/render.js';
export type { Elaborated } from './frontend/elaborate.js';
export type { Program } from './frontend/program.js';
export { params, type Graph } from './ir/graph.js';
export { inputRanges } from './ir/inputRanges.js';
export { OPS } from './ir/ops.js';
export type { DType } from './ir/dtype.js';
export { printGraph } from './ir/printer.js';
export { interpret, type InterpretOptions } from './interp/interpret.js';
export { makeTensor, type Tensor } from './interp/tensor.js';
export { encodeSafetensors, parseSafetensors, SafetensorsError, type SafetensorsFile } from './io/safetensorsFormat.js';
export type { Accelerator } from './accel/accelerator.js';
export { PRESETS } from './accel/presets.js';
export { parseAccelerator } from './accel/parse.js';
export { AcceleratorError, validateAccelerator } from './accel/validate.js';
export type { Module } from './kernel/module.js';
export { printModule } from './kernel/printer.js';
export { formatFusionReport, formatStats, moduleStats } from './kernel/stats.js';
export { buildReport, type Report } from './report/build.js';
export { renderHtml } from './report/html.js';
export { renderMarkdown, renderSummary, renderText } from './report/text.js';
export { LEVELS, PASSES } from '../passes/registry.js';
export { parsePipeline, parsePrecision, PipelineError } from '../passes/pipeline.js';
export { generateC } from '../targets/c/module.js';
export { generateWgsl } from '../targets/wgsl/module.js';
export { halfValues, pageInputs } from '../targets/wgsl/hostTensors.js';
