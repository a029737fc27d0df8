import type { Accelerator } from '../accel/accelerator.js';
import { build, Session } from '../core/session.js';
import { planProgram } from '../core/plan.js';
import { loadFile } from '../node/run.js';
import { inputDimNames, type Program } from '../frontend/program.js';
import { params } from '../ir/graph.js';
import { bytesOf } from '../kernel/kernels.js';
import type { Objective } from '../core/grad.js';
import type { PrecisionPolicy } from '../ir/precision.js';
import { buildReport } from '../report/build.js';
import { LEVELS } from '../../passes/registry.js';
import { parsePipeline } from '../../passes/pipeline.js';
import { policyOf } from '../../passes/precision.js';
import { peakActivationBytes } from './memory.js';
import { studyRow, type StudyRow } from './row.js';
import { gridPoints, isConstantKey, type Axis, type Point } from './sweep.js';

/** A study's settings that do not fit the model: bad usage, exit 2 (docs/studies.md). */
export class StudyError extends Error {}

export interface StudyOptions {
  readonly file: string;
  readonly config?: string;
  readonly sets: ReadonlyMap<string, number>;
  /** The accelerators of --accel; an `accel` axis names them. */
  readonly accels: readonly Accelerator[];
  readonly axes: readonly Axis[];
  readonly level: number;
  readonly precision: string;
  /** A whole training step of this loss (forward, backward, AdamW), in training mode; else the forward pass. */
  readonly step?: { readonly loss: string; readonly clip: boolean };
  /** Training-mode forward (dropout applied) for a study of forward passes. */
  readonly train: boolean;
  readonly microBatches: number;
  readonly replicas: number;
}

export interface Study {
  readonly schema: typeof STUDY_SCHEMA;
  readonly model: { readonly file: string; readonly config: string; readonly sets: Readonly<Record<string, number>>; readonly step: boolean; readonly loss?: string };
  readonly axes: readonly Axis[];
  readonly rows: readonly StudyRow[];
}

export const STUDY_SCHEMA = 'bertc-study/1';

/** What one point compiles. */
interface Setting {
  readonly accel: Accelerator;
  readonly config?: string;
  readonly sets: Map<string, number>;
  readonly precision: string;
  readonly level: number;
  readonly microBatches: number;
  readonly replicas: number;
}

function precisionPolicy(mode: string): PrecisionPolicy {
  return policyOf(parsePipeline(`precision{mode=${mode}}`)[0]!.options as Parameters<typeof policyOf>[0]);
}

function settingAt(o: StudyOptions, p: Point): Setting {
  const sets = new Map(o.sets);
  for (const [k, v] of Object.entries(p)) if (isConstantKey(k)) sets.set(k, v as number);
  const accel = p.accel === undefined ? o.accels[0]! : o.accels.find((a) => a.name === p.accel)!;
  return {
    accel,
    config: (p.config as string | undefined) ?? o.config,
    sets,
    precision: (p.precision as string | undefined) ?? o.precision,
    level: (p.level as number | undefined) ?? o.level,
    microBatches: (p['micro-batch'] as number | undefined) ?? o.microBatches,
    replicas: (p.replicas as number | undefined) ?? o.replicas,
  };
}

/** The constant that sizes the batch: the one name of the inputs' first dimensions. */
function batchConstant(program: Program): string | undefined {
  const names = [...new Set(inputDimNames(program).filter((d) => d.axis === 0).map((d) => d.name))];
  return names.length === 1 ? names[0] : undefined;
}

/** The sets of one device's micro-batch: the global batch divided by replicas x micro-batches. */
function microBatchSets(s: Session, program: Program, st: Setting): Map<string, number> {
  if (st.microBatches === 1 && st.replicas === 1) return st.sets;
  const name = batchConstant(program);
  if (name === undefined) throw new StudyError("micro-batch and replicas split the batch, but the model's inputs have no one named first dimension");
  const global = st.sets.get(name) ?? build(s, program, { config: st.config, sets: st.sets }).constants.get(name);
  const split = st.microBatches * st.replicas;
  if (typeof global !== 'number' || !Number.isInteger(global / split)) {
    throw new StudyError(`the global batch ${name} = ${global} does not divide into ${st.replicas} replica${st.replicas === 1 ? '' : 's'} x ${st.microBatches} micro-batch${st.microBatches === 1 ? '' : 'es'}`);
  }
  return new Map([...st.sets, [name, global / split]]);
}

function describePoint(p: Point): string {
  return Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') || '(one point)';
}

/**
 * Compiles and costs every point of the grid; `progress` hears of each point as it starts and
 * `warn` gets each point's diagnostics (warnings) once per distinct text.
 */
export function runStudy(o: StudyOptions, progress: (done: number, total: number, point: string) => void, warn: (text: string) => void): Study {
  if (!o.step && (o.microBatches > 1 || o.replicas > 1 || o.axes.some((a) => a.key === 'micro-batch' || a.key === 'replicas'))) {
    throw new StudyError('micro-batch and replicas divide a training step: add --step --loss NAME');
  }
  const points = gridPoints(o.axes);
  const s0 = new Session();
  const program = loadFile(s0, o.file);
  warn(s0.render());
  const configs = o.axes.find((a) => a.key === 'config')?.values ?? [];
  for (const c of configs) if (!program.configs.has(c as string)) throw new StudyError(`--sweep config: '${c}' is not a config of ${o.file} (it has ${[...program.configs.keys()].join(', ') || 'none'})`);
  const seen = new Set<string>();
  const batchName = batchConstant(program);
  const rows = points.map((p, i) => {
    progress(i, points.length, describePoint(p));
    const st = settingAt(o, p);
    const s = s0.fork();
    const sets = microBatchSets(s, program, st);
    const pipeline = LEVELS[`O${st.level}`]!;
    // As the other commands' steps do: f16's five exponent bits flush small gradients unless the loss is scaled.
    const objective: Objective | undefined = o.step ? { kind: 'step', loss: o.step.loss, clip: o.step.clip, lossScale: st.precision === 'f16' } : undefined;
    const planned = planProgram(s, program, { config: st.config, sets, precision: precisionPolicy(st.precision), objective, train: o.step !== undefined || o.train, pipeline, accel: st.accel });
    const text = s.render();
    if (!seen.has(text)) warn(text);
    seen.add(text);
    const report = buildReport({ file: o.file, config: planned.built.config ?? '', sets: Object.fromEntries(sets), pipeline: planned.records.map((r) => r.step).join(','), stages: planned.stages }, st.accel);
    const weights = o.step ? params(planned.module.graph).filter((w) => !w.attr<string>('name').startsWith('adamw.')) : [];
    return studyRow({
      point: p,
      report,
      accel: st.accel,
      precision: st.precision,
      level: st.level,
      microBatches: st.microBatches,
      replicas: st.replicas,
      batch: batchName === undefined ? undefined : (planned.built.constants.get(batchName) as number | undefined),
      gradientBytes: weights.reduce((t, w) => t + bytesOf(w), 0),
      peakActivationBytes: peakActivationBytes(planned.module),
    });
  });
  progress(points.length, points.length, 'done');
  return {
    schema: STUDY_SCHEMA,
    model: { file: o.file, config: rows[0]?.config ?? o.config ?? '', sets: Object.fromEntries(o.sets), step: o.step !== undefined, ...(o.step && { loss: o.step.loss }) },
    axes: o.axes,
    rows,
  };
}
