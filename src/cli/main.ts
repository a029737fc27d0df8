import { Command, CommanderError, Option } from 'commander';
import { CompileError, DiagnosticError } from '../diag/diagnostics.js';
import { renderDiagnostics } from '../diag/render.js';
import { didYouMean } from '../diag/suggest.js';
import { checkFileDestination, checkFolderDestination, requireDistinct, writeFileAtomic } from '../io/output.js';
import { USAGE_CODES } from '../frontend/elaborate.js';
import { accelOrUsage, collectSet, InputError, UsageError } from './options.js';
import { ADAMW_DEFAULTS, DYNAMIC_SCALING, type LossScaling, build, type Objective, loadFile, plan, planProgram, planWgsl, policyPlans, gradFile, runFile, Session, trainFile, type BuildOptions } from '../driver.js';
import { parsePipeline, parsePrecision, PipelineError, type PassRecord } from '../../passes/pipeline.js';
import type { PrecisionPolicy } from '../ir/precision.js';
import { describeAccelerator, listAccelerators } from '../accel/describe.js';
import { buildReport, type Report } from '../report/build.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown, renderSummary, renderText } from '../report/text.js';
import { writeC } from '../../targets/c/compile.js';
import { DEFAULT_CFLAGS, memoryOf } from '../../targets/c/module.js';
import { writeWgsl } from '../../targets/wgsl/compile.js';
import { ExplainError, explainLine } from '../../targets/c/explain.js';
import { CRunError } from '../../targets/c/compile.js';
import { calibrate } from '../calibrate.js';
import { benchC, formatBench } from '../../targets/c/bench.js';
import { LEVELS, PASSES } from '../../passes/registry.js';
import type { Module } from '../kernel/module.js';
import { printModule } from '../kernel/printer.js';
import { formatFusionReport, formatStats, moduleStats } from '../kernel/stats.js';
import { graphNodes, params } from '../ir/graph.js';
import { describeArity, OPS } from '../ir/ops.js';
import { printGraph } from '../ir/printer.js';
import { numel } from '../ir/shape.js';
import { InterpError } from '../interp/kernels.js';
import { registerImport } from './import.js';
import { registerStudy } from './study.js';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Exit codes: 0 success, 1 bad input (diagnostics), 2 bad usage, 3 internal compiler error. */
export const EXIT = { ok: 0, input: 1, usage: 2, internal: 3 } as const;

function seedOf(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new UsageError(`--seed expects an integer in [0, 2^32), got '${value}'`);
  return v;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`${flag} expects a positive integer, got '${value}'`);
    return v;
  };
}

function finiteNumber(flag: string, valid: (x: number) => boolean): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v) || !valid(v)) throw new UsageError(`${flag}: '${value}' is not a valid value (see --help)`);
    return v;
  };
}

/** --step and --loss, for the commands that plan (opt, report, compile, bench). */
const stepOption = () => new Option('--step', 'the whole training step instead of the forward pass: forward, backward of --loss, and AdamW (docs/autodiff.md)');
const stepLossOption = () => new Option('-l, --loss <name>', "with --step: the 'loss NAME(..) { .. }' block to train (models/bert.ir: probe, mlm)");
const stepClipOption = () => new Option('--clip', 'with --step: clip the gradients by their global norm first (the threshold is the step\'s input adamw.max_norm)');

function objectiveOf(o: StepChoice): Objective | undefined {
  if (o.step && o.loss === undefined) throw new UsageError("--step needs --loss NAME: the 'loss' block whose training step to compile");
  if (!o.step && (o.loss !== undefined || o.clip)) throw new UsageError(`--${o.clip ? 'clip' : 'loss'} is for --step: add --step to compile the training step of that loss`);
  return o.step ? { kind: 'step', loss: o.loss!, clip: o.clip ?? false, lossScale: scalesLossByDefault(o.precision) } : undefined;
}

/** f16's five exponent bits flush small gradients to zero: its training steps scale the loss unless told otherwise. */
const scalesLossByDefault = (p: PrecisionPolicy | undefined) => p?.mode === 'f16';

/** -t for commands that run a model (run, grad, train). */
const targetOption = (what: string) =>
  new Option('-t, --target <target>', `where to compute ${what}: interp, the reference interpreter; c, generated C (-O2, tiled for --accel) built with --cc; wgsl, WebGPU shaders in headless Chromium`).choices(['interp', 'c', 'wgsl']).default('interp');

/** What run, grad and train take besides -t: the accelerator and the C compiler. */
function withTargetOptions(c: Command): Command {
  return c
    .option('--f64', 'with --target interp: compute in float64 instead of float32 (the float64 reference to compare with)')
    .option('-a, --accel <preset|file>', 'with --target c or wgsl: the accelerator to tile for (default host-cpu, or webgpu-generic for wgsl)')
    .option('--cc <compiler>', 'with --target c: the C compiler (default: cc)')
    .option('--cflags <flags>', `with --target c: compiler flags replacing '${DEFAULT_CFLAGS.join(' ')}'`);
}

/** The target options of run, grad and train, checked against each other. */
function targetChoice(o: RunCliOptions) {
  if (o.seed !== undefined && !o.train) throw new UsageError('--seed sets the dropout seed, which only --train uses: add --train, or drop --seed');
  if (o.target !== 'c' && (o.cc !== undefined || o.cflags !== undefined)) throw new UsageError(`--${o.cc !== undefined ? 'cc' : 'cflags'} is for --target c`);
  if (o.target === 'interp' && o.accel !== undefined) throw new UsageError('--accel is for --target c or wgsl');
  if (o.target !== 'interp' && o.f64) throw new UsageError('--f64 is for the interpreter (--target interp)');
  return {
    f64: o.f64,
    target: o.target,
    train: o.train,
    seed: o.seed,
    accel: o.accel === undefined ? undefined : accelOrUsage(o.accel),
    cc: { cc: o.cc, cflags: o.cflags?.split(/\s+/).filter(Boolean) },
  };
}

const configOption = () => new Option('-c, --config <name>', 'config to compile (required when the file defines several)');
const setOption = () => new Option('-s, --set <name=value>', 'override a config constant; repeatable, or comma-separated (B=4,S=40)').argParser(collectSet).default(new Map(), '');
/** The weights and the dropout seed of the commands that run a model: run, grad and train. */
const weightsOption = () => new Option('-w, --weights <file>', 'safetensors file with the parameters, by Hugging Face state-dict names').makeOptionMandatory();
const seedOption = () => new Option('--seed <n>', 'with --train: dropout seed, a u32 (default 0)').argParser(seedOf);

function collectList(value: string, prev: string[]): string[] {
  return [...prev, ...value.split(',').map((x) => x.trim()).filter(Boolean)];
}

const levelOption = () => new Option('-O, --opt-level <n>', 'default pipeline: 0 no fusion, 1 clean-up only, 2 everything (bertc passes shows them)').choices(['0', '1', '2']).default('2');

interface PipelineChoice {
  optLevel: string;
  passes?: string;
}

/** The pipeline text; a malformed one is a usage error. */
function pipelineText(o: PipelineChoice & { step?: boolean }): string {
  const text = o.passes ?? LEVELS[`O${o.optLevel}`]!;
  try {
    const steps = parsePipeline(text);
    // A training step is differentiated after its precision is chosen, not before.
    if (o.step && steps.some((x) => x.pass.approximates)) throw new UsageError("--passes: the precision pass rewrites a forward pass; for --step, choose it with --precision");
  } catch (e) {
    if (e instanceof PipelineError) throw new UsageError(`--passes: ${e.message}`);
    throw e;
  }
  return text;
}

function renderReport(r: Report, format: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(r, null, 2)}\n`;
    case 'md':
      return renderMarkdown(r);
    case 'html':
      return renderHtml(r);
    default:
      return renderText(r);
  }
}

interface StepChoice {
  step?: boolean;
  loss?: string;
  clip?: boolean;
  precision?: PrecisionPolicy;
}

interface RunCliOptions {
  config?: string;
  set: Map<string, number>;
  weights: string;
  inputs: string;
  output: string;
  outputDtype?: 'f32' | 'bf16' | 'f16';
  precision?: PrecisionPolicy;
  train?: boolean;
  seed?: number;
  f64?: boolean;
  taps?: boolean;
  target: 'interp' | 'c' | 'wgsl';
  accel?: string;
  cc?: string;
  cflags?: string;
}

interface CompileOptions extends PipelineChoice {
  config?: string;
  set: Map<string, number>;
  target: string;
  accel?: string;
  train?: boolean;
  out: string;
}

interface ReportOptions extends PipelineChoice {
  config?: string;
  set: Map<string, number>;
  accel: string;
  train?: boolean;
  format: string;
  output?: string;
}

interface OptOptions extends PipelineChoice {
  config?: string;
  set: Map<string, number>;
  accel?: string;
  train?: boolean;
  printBefore: string[];
  printAfter: string[];
  printAfterAll?: boolean;
  timePasses?: boolean;
  stats?: boolean;
  json?: boolean;
  scope?: string;
  fusionReport?: boolean;
  locations?: boolean;
  output?: string;
}

function formatTimings(records: readonly PassRecord[]): string {
  const total = records.reduce((s, r) => s + r.ms, 0);
  const rows = records.map((r) => `  ${r.ms.toFixed(2).padStart(9)} ms  ${r.step}${r.stats.length ? `  (${r.stats.map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`);
  return `pass timing:\n${rows.join('\n')}\n  ${total.toFixed(2).padStart(9)} ms  total\n`;
}

/** Before any work: `--output` can be written and is not the file being read. */
function checkOutput(output: string | undefined, inputs: readonly string[]): void {
  if (output === undefined) return;
  requireDistinct(output, inputs);
  checkFileDestination(output);
}

function buildOptions(o: { config?: string; set: Map<string, number>; precision?: PrecisionPolicy }): BuildOptions {
  return { config: o.config, sets: o.set, precision: o.precision };
}

/** `--precision MODE` or `MODE{low=.. f32=..}`: a bad choice is a usage mistake. */
function precisionOf(value: string): PrecisionPolicy {
  try {
    return parsePrecision(value);
  } catch (e) {
    if (e instanceof PipelineError) throw new UsageError(`--precision: ${e.message}`);
    throw e;
  }
}

/** --loss-scale: 'dynamic', 'none' or a static scale. */
function lossScaleOf(value: string): LossScaling | 'none' {
  if (value === 'none') return 'none';
  if (value === 'dynamic') return DYNAMIC_SCALING;
  const m = /^(dynamic:)?(.+)$/.exec(value.trim());
  const v = Number(m?.[2]);
  if (!m || !Number.isFinite(v) || v <= 0) throw new UsageError(`--loss-scale: '${value}' is not 'dynamic', 'dynamic:SCALE', a positive number (a static scale) or 'none'`);
  return { init: v, dynamic: m[1] !== undefined };
}

/** --output-dtype: the float dtype run and grad write their float results in. */
const outputDtypeOption = () =>
  new Option('--output-dtype <dtype>', 'the dtype of the float tensors written to --output: f32, bf16 or f16 (rounded to nearest even)').choices(['f32', 'bf16', 'f16']).default('f32');

const precisionOption = () =>
  new Option('--precision <mode>', `f32, bf16 or f16: store GEMM operands and most activations in that precision, accumulate and normalise in f32 (the precision pass; override its op classes as 'bf16{low=matmul,softmax f32=layernorm,reduce}')`)
    .argParser(precisionOf);

const EXAMPLES = `
Examples:
  $ bertc check models/bert.ir                      # every config of the file
  $ bertc print models/bert.ir --config tiny --set B=1,S=8
  $ bertc opt models/bert.ir --config base --fusion-report
  $ bertc report models/bert.ir --config base --accel h100 --format html -o report.html
  $ bertc compile models/bert.ir --config base --target c --out out/   # or --target wgsl
  $ bertc run models/bert.ir --config tiny --weights W --inputs IN --output OUT [--target c|wgsl]
  $ bertc run models/bert.ir --config tiny --train --seed 7 --weights W --inputs IN --output OUT

Exit codes: 0 success, 1 errors in the input (diagnostics on stderr), 2 bad usage, 3 internal error.`;

/** How a file was produced, for the header comment of what a command writes. */
function commandLine(command: string, file: string, config: string | undefined, sets: ReadonlyMap<string, number>, rest = ''): string {
  const set = [...sets].map(([k, v]) => ` --set ${k}=${v}`).join('');
  return `bertc ${command} ${file}${config ? ` --config ${config}` : ''}${set}${rest}`;
}

function makeProgram(io: Io): Command {
  /** Writes a command's result to `--output`, or to stdout. */
  const emit = (text: string, output: string | undefined) => (output ? writeFileAtomic(output, text) : io.out(text));

  const program = new Command('bertc')
    .description(
      'A tensor compiler for BERT-like transformer layers: IR text -> checked graph -> fusion passes -> GEMMs tiled for an accelerator -> C or WGSL kernels, with a cost report. The reference interpreter runs the same graph.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText('after', EXAMPLES)
    .exitOverride();

  program
    .command('check')
    .description('parse, elaborate and type-check FILE; print diagnostics only. Without --config, every config of the file is checked.')
    .argument('<file>', 'IR source, e.g. models/bert.ir')
    .addOption(configOption())
    .addOption(setOption())
    .action((file: string, o: { config?: string; set: Map<string, number> }) => {
      const s = new Session();
      const p = loadFile(s, file);
      io.err(s.render());
      const configs = o.config !== undefined || p.configs.size === 0 ? [o.config] : [...p.configs.keys()];
      let failed: CompileError | undefined;
      for (const config of configs) {
        // Each config on its own: one that fails does not hide the others' results.
        const cs = s.fork();
        const named = config === undefined ? '' : ` (config ${config})`;
        try {
          const { graph } = build(cs, p, { config, sets: o.set });
          const ps = params(graph);
          const values = ps.reduce((acc, n) => acc + numel(n.type.shape), 0);
          io.err(cs.render());
          io.out(`${file}: ok${named}: model '${graph.name}', ${graph.inputs.length} inputs, ${graph.outputs.length} outputs, ${graphNodes(graph).length} nodes, ${ps.length} parameters (${values} values)\n`);
        } catch (e) {
          if (!(e instanceof CompileError)) throw e;
          const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
          io.out(`${file}: ${errors} error${errors === 1 ? '' : 's'}${named}\n`);
          io.err(configs.length > 1 ? `In config '${config}':\n${e.rendered}` : e.rendered);
          failed = e;
        }
      }
      if (failed) throw new CompileError(failed.diagnostics, '');
    });

  program
    .command('print')
    .description('print the flattened IR of one config: every layer instantiated, loops unrolled, shapes resolved. The output parses back to the same graph.')
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .option('--locations', 'annotate each op with its layer scope and source position')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((file: string, o: { config?: string; set: Map<string, number>; locations?: boolean; output?: string }) => {
      checkOutput(o.output, [file]);
      const s = new Session();
      const { graph, config } = build(s, loadFile(s, file), buildOptions(o));
      const text = printGraph(graph, { header: commandLine('print', file, config, o.set), locations: o.locations });
      io.err(s.render());
      emit(text, o.output);
    });

  const runCommand = program
    .command('run')
    .description('run the model on the reference interpreter, on generated C or on WGSL in headless Chromium, with one contract: B and S (any config constant a model input is declared with) are taken from the inputs, integer inputs are checked against their ranges before any target runs, and nothing is written unless the run succeeds.')
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .addOption(weightsOption())
    .requiredOption('-i, --inputs <file>', 'safetensors file with the model inputs (input_ids, token_type_ids, attention_mask: int32 or int64 [B, S])')
    .requiredOption('-o, --output <file>', 'safetensors file to write (last_hidden_state, pooler_output); written only on success')
    .addOption(outputDtypeOption())
    .option('--train', 'training-mode forward: dropout is applied (docs/dropout-rng.md)')
    .addOption(seedOption())
    .option('--taps', "also write the model's taps (hidden_states.0 .. L); interpreter only")
    .addOption(targetOption('the outputs'));
  withTargetOptions(runCommand)
    .action(async (file: string, o: RunCliOptions) => {
      const s = new Session();
      if (o.target !== 'interp' && o.taps) throw new UsageError('--taps is for the interpreter (--target interp)');
      const r = await runFile(s, file, o, { ...buildOptions(o), ...targetChoice(o), taps: o.taps });
      io.err(s.render());
      const written = [...r.outputs.keys(), ...r.taps.keys()];
      io.out(`wrote ${o.output}: ${written.join(', ')}\n`);
    });

  const gradCommand = program
    .command('grad')
    .description("the loss and the gradient of every parameter: writes 'loss' (f32 [1]) and 'grad.<HF parameter name>' (f32) for a 'loss' block of FILE, on any target, with the run contract of 'bertc run'. The loss's own inputs are read from the inputs file as 'loss.<name>'.")
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .requiredOption('-l, --loss <name>', "the 'loss NAME(..) { .. }' block to differentiate (models/bert.ir: probe, mlm)")
    .addOption(weightsOption())
    .requiredOption('-i, --inputs <file>', "safetensors file with the model inputs and the loss's (loss.R, loss.R2 for probe; loss.labels for mlm)")
    .requiredOption('-o, --output <file>', 'safetensors file to write (loss, grad.<name>); written only on success')
    .addOption(outputDtypeOption())
    .option('--train', 'training mode: dropout is applied, and its gradient regenerates the same mask (docs/dropout-rng.md)')
    .addOption(seedOption())
    .addOption(targetOption('the loss and gradients'));
  withTargetOptions(gradCommand)
    .action(async (file: string, o: RunCliOptions & { loss: string }) => {
      const s = new Session();
      const r = await gradFile(s, file, o, { ...buildOptions(o), ...targetChoice(o), loss: o.loss });
      io.err(s.render());
      const grads = [...r.outputs.keys()].filter((k) => k !== 'loss').length;
      io.out(`wrote ${o.output}: loss = ${r.outputs.get('loss')!.data[0]}, ${grads} gradients (grad.<parameter name>)\n`);
    });

  const trainCommand = program
    .command('train')
    .description("run N AdamW steps (torch.optim.AdamW: decoupled weight decay, bias correction, eps outside the root) of a 'loss' block of FILE on one batch, on any target, printing each step's loss; writes the new weights under their HF names and the optimizer state (adamw.m.<name>, adamw.v.<name>, adamw.step), which --resume continues from. The step is compiled once: forward, backward and the optimizer.")
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .requiredOption('-l, --loss <name>', "the 'loss NAME(..) { .. }' block to minimise (models/bert.ir: probe, mlm)")
    .addOption(weightsOption())
    .requiredOption('-i, --inputs <file>', "safetensors file with the batch: the model inputs and the loss's (loss.labels for mlm)")
    .requiredOption('-n, --steps <n>', 'optimizer steps to run', positiveInteger('--steps'))
    .requiredOption('--lr <x>', 'learning rate', finiteNumber('--lr', (x) => x > 0))
    .option('--weight-decay <x>', `decoupled weight decay (default ${ADAMW_DEFAULTS.weightDecay})`, finiteNumber('--weight-decay', (x) => x >= 0))
    .option('--beta1 <x>', `first-moment decay, in [0, 1) (default ${ADAMW_DEFAULTS.beta1})`, finiteNumber('--beta1', (x) => x >= 0 && x < 1))
    .option('--beta2 <x>', `second-moment decay, in [0, 1) (default ${ADAMW_DEFAULTS.beta2})`, finiteNumber('--beta2', (x) => x >= 0 && x < 1))
    .option('--eps <x>', `added to the root of the second moment (default ${ADAMW_DEFAULTS.eps})`, finiteNumber('--eps', (x) => x > 0))
    .option('--clip-norm <x>', 'clip the gradients to this global L2 norm first (torch.nn.utils.clip_grad_norm_)', finiteNumber('--clip-norm', (x) => x > 0))
    .option('--resume <file>', "continue from a file 'bertc train' wrote (its weights and optimizer state replace those of --weights)")
    .option('--loss-scale <scale>', "scale the loss so that small 16-bit gradients survive, skipping steps whose gradients overflow: 'dynamic' (from 2^16, halved on an overflow, doubled after 2000 finite steps), 'dynamic:SCALE' (from SCALE), a number (static), or 'none'; default dynamic with --precision f16, else none", lossScaleOf)
    .requiredOption('-o, --output <file>', 'safetensors file to write (weights, adamw.*); written only when every step succeeded')
    .option('--train', 'training mode: dropout is applied (the same mask in forward and backward, docs/dropout-rng.md)')
    .addOption(seedOption())
    .addOption(targetOption('the training steps'));
  withTargetOptions(trainCommand)
    .action(async (file: string, o: RunCliOptions & { loss: string; steps: number; lr: number; weightDecay?: number; beta1?: number; beta2?: number; eps?: number; clipNorm?: number; resume?: string; lossScale?: LossScaling | 'none' }) => {
      const s = new Session();
      const hyper = {
        lr: o.lr,
        weightDecay: o.weightDecay ?? ADAMW_DEFAULTS.weightDecay,
        beta1: o.beta1 ?? ADAMW_DEFAULTS.beta1,
        beta2: o.beta2 ?? ADAMW_DEFAULTS.beta2,
        eps: o.eps ?? ADAMW_DEFAULTS.eps,
        clipNorm: o.clipNorm,
      };
      const width = String(o.steps).length;
      const progress = (step: number, total: number, loss: number) => io.err(`step ${String(step).padStart(width)}/${total}  loss ${loss.toPrecision(8)}\n`);
      const chosen = o.lossScale ?? (scalesLossByDefault(o.precision) ? DYNAMIC_SCALING : 'none');
      const lossScale = chosen === 'none' ? undefined : chosen;
      const r = await trainFile(s, file, o, { ...buildOptions(o), ...targetChoice(o), loss: o.loss, steps: o.steps, hyper, progress, lossScale });
      io.err(s.render());
      const scaling = r.scaling ? `; loss scaling: ${r.scaling.skipped} of ${o.steps} steps skipped on overflow, scale now ${r.scaling.scale}` : '';
      io.out(`wrote ${o.output}: ${o.steps} steps, loss ${r.losses[0]} -> ${r.losses[r.losses.length - 1]}; weights, adamw.m.*, adamw.v.*, adamw.step${r.scaling ? ', adamw.loss_scale and its state' : ''}${scaling}\n`);
    });

  program
    .command('opt')
    .description('run a pass pipeline and print the kernel plan: the IR with each kernel as a `kernel NAME { ... }` block')
    .argument('<file>', 'IR source (plain, or a printed kernel plan)')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .addOption(stepOption())
    .addOption(stepLossOption())
    .addOption(stepClipOption())
    .addOption(levelOption())
    .option('-p, --passes <pipeline>', "explicit pipeline, e.g. 'canonicalize,cse,fuse-gemm-epilogue{ops=bias,gelu}' (overrides -O)")
    .option('-a, --accel <preset|file>', 'tile GEMMs for this accelerator (appends tile-gemm)')
    .option('--train', 'training-mode forward: dropout stays in the graph')
    .option('--print-before <passes>', 'dump the plan to stderr before these passes (comma-separated)', collectList, [])
    .option('--print-after <passes>', 'dump the plan to stderr after these passes (comma-separated)', collectList, [])
    .option('--print-after-all', 'dump the plan to stderr after every pass')
    .option('--time-passes', 'print each pass\'s time and statistics to stderr')
    .option('--stats', 'print per-kernel FLOPs and bytes read and written, and totals, instead of the IR')
    .option('--json', 'with --stats: print JSON')
    .option('--scope <prefix>', 'with --stats: only kernels whose ops all lie under this layer path, e.g. encoder.layer.0')
    .option('--fusion-report', 'print every fusion candidate, the rule that decided it and the bytes involved')
    .option('--locations', 'annotate each op with its layer scope and source position')
    .option('-o, --output <file>', 'write the plan to a file instead of stdout')
    .action((file: string, o: OptOptions & StepChoice) => {
      checkOutput(o.output, [file]);
      const s = new Session();
      const pipeline = pipelineText(o);
      for (const [flag, names] of [['--print-before', o.printBefore], ['--print-after', o.printAfter]] as const) {
        for (const name of names) {
          if (!PASSES.has(name)) throw new UsageError(`${flag}: unknown pass '${name}'${didYouMean(name, [...PASSES.keys()])}; bertc passes lists them`);
        }
      }
      const dump = (when: string, m: Module) => io.err(`// -----// IR dump ${when} //----- //\n${printModule(m, { locations: o.locations })}`);
      const { built, module, records } = plan(s, file, {
        ...buildOptions(o),
        objective: objectiveOf(o),
        train: o.train ?? false,
        pipeline,
        accel: o.accel === undefined ? undefined : accelOrUsage(o.accel),
        runOptions: { printBefore: new Set(o.printBefore), printAfter: new Set(o.printAfterAll ? ['*'] : o.printAfter), onPrint: dump },
      });
      io.err(s.render());
      if (o.timePasses) io.err(formatTimings(records));
      if (o.fusionReport) io.out(formatFusionReport(module.decisions));
      if (o.stats) {
        const st = moduleStats(module, o.scope);
        io.out(o.json ? `${JSON.stringify(st, null, 2)}\n` : formatStats(st));
        return;
      }
      if (o.fusionReport && !o.output) return;
      const steps = records.map((r) => r.step).join(',');
      const text = printModule(module, { header: commandLine('opt', file, built.config, o.set, `${o.train ? ' --train' : ''}${o.step ? ` --step --loss ${o.loss}${o.clip ? ' --clip' : ''}` : ''} --passes '${steps}'`), locations: o.locations });
      emit(text, o.output);
    });

  program
    .command('report')
    .description('compile FILE for an accelerator and report, per kernel and in total, FLOPs, DRAM bytes, predicted time and what bounds it; the time share of each operator category; what each pass bought; and how close each GEMM shape gets to peak')
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .addOption(stepOption())
    .addOption(stepLossOption())
    .addOption(stepClipOption())
    .option('-a, --accel <preset|file>', 'accelerator: a preset (bertc accel list) or a JSON description (docs/accelerators.md)', 'host-cpu')
    .addOption(levelOption())
    .option('-p, --passes <pipeline>', 'explicit pipeline (overrides -O); tile-gemm is appended when missing')
    .option('--train', 'training-mode forward: dropout is applied')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'md', 'html']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((file: string, o: ReportOptions & StepChoice) => {
      checkOutput(o.output, [file]);
      const s = new Session();
      const accel = accelOrUsage(o.accel);
      const pipeline = pipelineText(o);
      const p = plan(s, file, { ...buildOptions(o), objective: objectiveOf(o), train: o.train ?? false, pipeline, accel });
      const policies = policyPlans(s, p, { pipeline, accel });
      io.err(s.render());
      const report = buildReport({ file, config: p.built.config ?? '', sets: Object.fromEntries(o.set), pipeline: p.records.map((r) => r.step).join(','), stages: p.stages, policies }, accel);
      emit(renderReport(report, o.format), o.output);
    });

  program
    .command('compile')
    .description('compile FILE to C: model.c (one function per kernel), model.h (init/run/free API, memory plan), model.c.map (source map to the IR), main.c (a command-line harness), a Makefile, and the cost report (report.txt, report.json)')
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .addOption(stepOption())
    .addOption(stepLossOption())
    .addOption(stepClipOption())
    .addOption(new Option('-t, --target <target>', 'code to generate: c, or wgsl (WebGPU compute shaders, a manifest and runtime.js)').choices(['c', 'wgsl']).default('c'))
    .option('-a, --accel <preset|file>', 'accelerator to tile GEMMs for and to cost (default: host-cpu for c, webgpu-generic for wgsl)')
    .addOption(levelOption())
    .option('-p, --passes <pipeline>', 'explicit pipeline (overrides -O); tile-gemm is appended when missing')
    .option('--train', 'training-mode forward: dropout is applied, with the seed given to bertc_run')
    .requiredOption('--out <dir>', 'output folder, created in an existing folder, or replaced whole if a previous compile wrote it; on failure it is left as it was')
    .action((file: string, o: CompileOptions & StepChoice) => {
      checkFolderDestination(o.out);
      const s = new Session();
      const accel = accelOrUsage(o.accel ?? (o.target === 'wgsl' ? 'webgpu-generic' : 'host-cpu'));
      const program = loadFile(s, file);
      const planOptions = { ...buildOptions(o), objective: objectiveOf(o), train: o.train ?? false, pipeline: pipelineText(o), accel };
      const p = planProgram(s, program, planOptions);
      const policies = policyPlans(s, p, planOptions);
      io.err(s.render());
      const command = commandLine('compile', file, p.built.config, o.set, `${o.train ? ' --train' : ''}${o.step ? ` --step --loss ${o.loss}${o.clip ? ' --clip' : ''}` : ''} --target ${o.target} --accel ${accel.name}`);
      const report = buildReport({ file, config: p.built.config ?? '', sets: Object.fromEntries(o.set), pipeline: p.records.map((r) => r.step).join(','), stages: p.stages, policies }, accel);
      // The C model's memory plan goes into its report, next to the predicted costs.
      const memory = o.target === 'c' ? memoryOf(p.module, accel) : undefined;
      const text = memory
        ? `${renderText(report)}\nC memory plan: activation arena ${memory.arena_bytes} bytes (${memory.unplanned_arena_bytes} without reuse), weights ${memory.weight_bytes} bytes, weights packed for their GEMMs at load ${memory.packed_weight_bytes} bytes, GEMM operands packed per call ${memory.call_pack_bytes} bytes\n`
        : renderText(report);
      const reports = { 'report.txt': text, 'report.json': `${JSON.stringify(memory ? { ...report, memory } : report, null, 2)}\n` };
      const written =
        o.target === 'wgsl'
          ? s.guard(() => writeWgsl(planWgsl(s, program, { ...planOptions, source: file }).files, o.out, reports))
          : s.guard(() => writeC(p.module, { source: file, command, accel }, o.out, reports));
      io.out(`wrote ${o.out}: ${written.join(', ')}\n\n${renderSummary(report)}${memory ? `C memory plan: activation arena ${memory.arena_bytes} bytes, weights ${memory.weight_bytes} bytes\n` : ''}(the full report is ${o.out}/report.txt)\n`);
    });

  program
    .command('bench')
    .description('compile FILE to C, run it on random weights and inputs after 3 warm-ups, and print the median latency and each kernel\'s measured time next to its predicted time; with --step it times bertc_step as a training loop calls it (weights and moments updated in place, the weight transforms run again; torch.optim.AdamW\'s defaults at step 1, moments from zero)')
    .argument('<file>', 'IR source')
    .addOption(configOption())
    .addOption(setOption())
    .addOption(precisionOption())
    .addOption(stepOption())
    .addOption(stepLossOption())
    .addOption(stepClipOption())
    .addOption(new Option('-t, --target <target>', 'code to benchmark').choices(['c']).default('c'))
    .option('-a, --accel <preset|file>', 'accelerator to tile for and predict with (bertc calibrate writes one for this machine)', 'host-cpu')
    .addOption(levelOption())
    .option('--train', 'training-mode forward')
    .option('--runs <n>', 'timed runs', '20')
    .option('--cc <compiler>', 'the C compiler (default: cc)')
    .option('--cflags <flags>', `compiler flags replacing '${DEFAULT_CFLAGS.join(' ')}'`)
    .option('--json', 'print JSON: median_ms, kernels[].{name, measured_ms, predicted_ms}')
    .action((file: string, o: PipelineChoice & StepChoice & { config?: string; set: Map<string, number>; accel: string; train?: boolean; runs: string; cc?: string; cflags?: string; json?: boolean }) => {
      const runs = Number(o.runs);
      if (!(Number.isInteger(runs) && runs > 0)) throw new UsageError(`--runs expects a positive integer, got '${o.runs}'`);
      const s = new Session();
      const accel = accelOrUsage(o.accel);
      const p = plan(s, file, { ...buildOptions(o), objective: objectiveOf(o), train: o.train ?? false, pipeline: pipelineText(o), accel });
      io.err(s.render());
      const b = benchC(p.module, accel, { runs, cc: o.cc, cflags: o.cflags?.split(/\s+/).filter(Boolean) });
      io.out(o.json ? `${JSON.stringify(b, null, 2)}\n` : formatBench(b));
    });

  program
    .command('calibrate')
    .description("measure this machine with small C probes (FMA peak, the runtime GEMM, copy bandwidth) and write an accelerator description based on the host-cpu preset")
    .option('--cc <compiler>', 'the C compiler (default: cc)')
    .option('--seconds <s>', 'rough total time for the measurements', '4')
    .option('-o, --output <file>', 'write the JSON here instead of stdout')
    .action((o: { cc?: string; seconds: string; output?: string }) => {
      const seconds = Number(o.seconds);
      if (!(seconds > 0)) throw new UsageError(`--seconds expects a positive number, got '${o.seconds}'`);
      checkOutput(o.output, []);
      emit(`${JSON.stringify(calibrate({ cc: o.cc, seconds }), null, 2)}\n`, o.output);
    });

  program
    .command('explain')
    .description('say which IR ops a line of generated C implements, from model.c.map')
    .argument('<location>', 'FILE.c:LINE, e.g. out/model.c:219')
    .action(async (location: string) => io.out(await explainLine(location)));

  const accel = program.command('accel').description('list and show the accelerator descriptions the cost model uses');
  accel
    .command('list')
    .description('the presets, one line each')
    .action(() => io.out(listAccelerators()));
  accel
    .command('show')
    .description('the full description of a preset or a JSON file, with its peak rates and machine balance')
    .argument('<preset|file>', 'a preset name or a JSON file')
    .option('--json', 'print the description as JSON (a starting point for your own)')
    .action((name: string, o: { json?: boolean }) => {
      const a = accelOrUsage(name);
      io.out(o.json ? `${JSON.stringify(a, null, 2)}\n` : describeAccelerator(a));
    });

  registerImport(program, io);

  program
    .command('passes')
    .description('describe every pass: its options, statistics and a before/after example; and the -O pipelines')
    .action(() => {
      const parts = [...PASSES.values()].map((p) => {
        const opts = Object.entries(p.options).map(([k, v]) => `    ${k}=${JSON.stringify(v.default)}  ${v.doc}`);
        const stats = Object.entries(p.statistics).map(([k, v]) => `    ${k}: ${v}`);
        return [`${p.name}: ${p.summary}`, ...p.description.split('\n').map((l) => `  ${l}`), ...(opts.length ? ['  options:', ...opts] : []), '  statistics:', ...stats].join('\n');
      });
      const levels = Object.entries(LEVELS).map(([k, v]) => `  -${k}: ${v || '(no passes)'}`);
      io.out(`${parts.join('\n\n')}\n\npipelines:\n${levels.join('\n')}\n`);
    });

  program
    .command('ops')
    .description('list the ops of the IR with their operands and attributes')
    .action(() => {
      const rows = [...OPS.values()].filter((d) => d.group !== 'source' || d.name === 'iota').map((d) => {
        const attrs = Object.entries(d.attrs)
          .filter(([k]) => !(d.name === 'dropout' && k === 'id'))
          .map(([k, a]) => (a.default === undefined ? k : `${k}=${a.kind === 'dtype' ? String(a.default) : JSON.stringify(a.default)}`));
        return `  ${d.name.padEnd(12)} ${d.group.padEnd(9)} ${describeArity(d).padEnd(20)} ${attrs.join(', ').padEnd(40)} ${d.summary}`;
      });
      io.out(`${rows.join('\n')}\n`);
    });

  registerStudy(program, io);
  return program;
}

/** Runs the CLI and returns the exit code; nothing here calls process.exit. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = makeProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      io.err(`bertc: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof CompileError) {
      io.err(e.rendered);
      return e.diagnostics.some((d) => USAGE_CODES.has(d.code)) ? EXIT.usage : EXIT.input;
    }
    if (e instanceof DiagnosticError) {
      io.err(renderDiagnostics(e.diagnostics, () => undefined));
      return e.diagnostics.some((d) => USAGE_CODES.has(d.code)) ? EXIT.usage : EXIT.input;
    }
    if (e instanceof InputError) {
      io.err(`bertc: error: ${e.message}\n`);
      return EXIT.input;
    }
    if (e instanceof ExplainError) {
      io.err(`bertc: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof CRunError) {
      io.err(`error: ${e.message}\n`);
      return EXIT.input;
    }
    if (e instanceof InterpError) {
      io.err(`error: ${e.message}\n`);
      return EXIT.input;
    }
    io.err(`bertc: internal compiler error: ${(e as Error).stack ?? e}\nPlease report this with the command line and input.\n`);
    return EXIT.internal;
  }
}
