import { Command, CommanderError, Option } from 'commander';
import type { Accelerator } from '../accel/accelerator.js';
import { checkFileDestination, requireDistinct, writeFileAtomic } from '../io/output.js';
import { PRECISION_MODES } from '../ir/precision.js';
import { renderStudyCsv, renderStudyJson, renderStudyText } from '../study/format.js';
import { renderStudyHtml } from '../study/html.js';
import { runStudy, StudyError, type Study } from '../study/run.js';
import { checkAxes, parseSweep, STUDY_KEYS, SweepError, type Axis } from '../study/sweep.js';
import type { Io } from './main.js';
import { accelOrUsage, collectSet } from './options.js';

/**
 * `bertc study`: the cost model over a grid of settings (docs/studies.md). Its own mistakes (a bad
 * --sweep, an unknown accelerator, a batch that does not divide) are one line and exit 2, an
 * accelerator file that is no description exit 1 (the options the commands share); the compiler's
 * diagnostics go through main's handler.
 */

interface StudyCliOptions {
  config?: string;
  set: Map<string, number>;
  accel: string;
  sweep: string[];
  optLevel: string;
  precision: string;
  step?: boolean;
  loss?: string;
  clip?: boolean;
  train?: boolean;
  microBatch: string;
  replicas: string;
  format: string;
  output?: string;
}

function collect(value: string, prev: string[]): string[] {
  return [...prev, value];
}

function count(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new StudyError(`${flag} expects a positive integer, got '${text}'`);
  return v;
}

function accelerators(list: string): Accelerator[] {
  const names = list.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw new StudyError(`--accel: empty name in '${list}'`);
  const accels = names.map(accelOrUsage);
  const dup = accels.find((a, i) => accels.findIndex((b) => b.name === a.name) < i);
  if (dup) throw new StudyError(`--accel names accelerator '${dup.name}' twice`);
  return accels;
}

function render(st: Study, format: string): string {
  switch (format) {
    case 'json':
      return renderStudyJson(st);
    case 'csv':
      return renderStudyCsv(st);
    case 'html':
      return renderStudyHtml(st);
    default:
      return renderStudyText(st);
  }
}

function study(file: string, o: StudyCliOptions, io: Io): void {
  if (o.output !== undefined) {
    requireDistinct(o.output, [file]);
    checkFileDestination(o.output);
  }
  if (o.step && o.loss === undefined) throw new StudyError("--step needs --loss NAME: the 'loss' block whose training step to study");
  if (!o.step && (o.loss !== undefined || o.clip)) throw new StudyError(`--${o.clip ? 'clip' : 'loss'} is for --step`);
  if (o.step && o.train) throw new StudyError('--train is for studies of the forward pass: a --step study always trains with dropout applied');
  if (!(PRECISION_MODES as readonly string[]).includes(o.precision)) throw new StudyError(`--precision: '${o.precision}' is not one of ${PRECISION_MODES.join(', ')}`);
  const sets = o.set;
  const sweeps: Axis[] = o.sweep.map(parseSweep);
  checkAxes(sweeps);
  for (const a of sweeps) if (sets.has(a.key)) throw new StudyError(`${a.key} is both swept and fixed by --set; drop one`);
  const accels = accelerators(o.accel);
  const axes = accels.length > 1 ? [{ key: 'accel', values: accels.map((a) => a.name) }, ...sweeps] : sweeps;
  const started = Date.now();
  const progress = (done: number, total: number, point: string) => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    io.err(done === total ? `study: ${total} point${total === 1 ? '' : 's'} in ${elapsed} s\n` : `study: point ${done + 1}/${total}: ${point} (${elapsed} s so far)\n`);
  };
  const result = runStudy(
    {
      file,
      config: o.config,
      sets,
      accels,
      axes,
      level: Number(o.optLevel),
      precision: o.precision,
      step: o.step ? { loss: o.loss!, clip: o.clip ?? false } : undefined,
      train: o.train ?? false,
      microBatches: count('--micro-batch', o.microBatch),
      replicas: count('--replicas', o.replicas),
    },
    progress,
    (text) => io.err(text),
  );
  const text = render(result, o.format);
  if (o.output) writeFileAtomic(o.output, text);
  else io.out(text);
}

const HELP = `
Each --sweep KEY=V1,V2,... is one axis of the grid; several span their product, the first outermost.
KEY is a config constant of FILE (B, S, L, H, ...) or one of: ${STUDY_KEYS.filter((k) => k !== 'accel').join(', ')}.
Several --accel names add an accelerator axis, outermost. With --step, B is the global batch:
each of --replicas devices runs --micro-batch passes over B / (replicas x micro-batch) rows.

Examples:
  $ bertc study models/bert.ir --config base --accel h100 --step --loss mlm -O0 --set B=32,S=128 --sweep precision=f32,bf16
  $ bertc study models/bert.ir --config base --accel h100,tpu-v2-like --sweep S=128,512 --format html -o study.html
  $ bertc study models/bert.ir --config base --accel h100 --step --loss mlm --set B=256 --sweep replicas=1,2,4,8 --sweep micro-batch=1,4`;

/** Adds `bertc study` to the program; `io` is where it writes. */
export function registerStudy(program: Command, io: Io): void {
  const cmd = program
    .command('study')
    .description('predict, for every point of a grid of settings, the step time by phase and operator category (dense and attention GEMMs, softmax, layernorm, GELU, dropout, casts, optimizer, communication, other), bytes, the bound of each category, peak activation memory and the gain of fusion; as text, JSON, CSV or an HTML page with plots (docs/studies.md)')
    .argument('<file>', 'IR source')
    .option('-c, --config <name>', 'config to compile (required when the file defines several, unless --sweep config=...)')
    .option('-s, --set <name=value>', 'fix a config constant for every point; repeatable, or comma-separated (B=32,S=128)', collectSet, new Map<string, number>())
    .option('-a, --accel <names>', 'accelerators: presets (bertc accel list) or JSON descriptions, comma-separated', 'host-cpu')
    .option('--sweep <key=values>', 'one axis of the grid: KEY=V1,V2,... (repeatable)', collect, [])
    .addOption(new Option('-O, --opt-level <n>', 'pipeline of every point unless swept (--sweep level=0,2)').choices(['0', '1', '2']).default('2'))
    .option('--precision <mode>', `${PRECISION_MODES.join(', ')}: of every point unless swept`, 'f32')
    .option('--step', 'study whole training steps (forward with dropout, backward of --loss, AdamW) instead of forward passes')
    .option('-l, --loss <name>', "with --step: the 'loss' block to train (models/bert.ir: probe, mlm)")
    .option('--clip', 'with --step: clip the gradients by their global norm first')
    .option('--train', 'for forward passes: training mode (dropout applied)')
    .option('--micro-batch <n>', 'with --step: micro-batches per step (gradient accumulation), unless swept', '1')
    .option('--replicas <n>', 'with --step: data-parallel devices all-reducing their gradients over the interconnect, unless swept', '1')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'csv', 'html']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout (written whole, only on success)')
    .addHelpText('after', HELP);
  cmd.action((file: string, o: StudyCliOptions) => {
    try {
      study(file, o, io);
    } catch (e) {
      if (!(e instanceof StudyError || e instanceof SweepError)) throw e;
      // main ends a CommanderError with exit 2 and prints nothing: the message is said here, once.
      io.err(`bertc: ${e.message}\n`);
      throw new CommanderError(2, 'bertc.study', e.message);
    }
  });
}
