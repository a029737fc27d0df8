import { didYouMean } from '../src/diag/suggest.js';
import { verifyGraph } from '../src/ir/verify.js';
import { kernelsOf } from '../src/kernel/kernels.js';
import type { Module } from '../src/kernel/module.js';
import { verifyPartition } from '../src/kernel/verify.js';
import { Statistics, type OptionSpec, type OptionValues, type PassDef } from './pass.js';
import { policyOf } from './precision.js';
import { PASSES } from './registry.js';
import { PRECISION_MODES, type PrecisionPolicy } from '../src/ir/precision.js';

/** A bad --passes string: the CLI reports it as a usage error. */
export class PipelineError extends Error {}

export interface PipelineStep {
  readonly pass: PassDef<Record<string, OptionSpec>>;
  readonly options: OptionValues<Record<string, OptionSpec>>;
  /** As written, for dumps and timing tables. */
  readonly text: string;
}

/** Splits at commas outside braces: `a,b{ops=x,y},c` -> a | b{ops=x,y} | c. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new PipelineError(`unbalanced braces in pipeline '${s}'`);
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length);
}

function parseOption(pass: PassDef<Record<string, OptionSpec>>, key: string, raw: string): unknown {
  const spec = pass.options[key];
  if (!spec) {
    const known = Object.keys(pass.options);
    throw new PipelineError(`pass '${pass.name}' has no option '${key}'${known.length ? ` (options: ${known.join(', ')})` : ' (it takes no options)'}`);
  }
  switch (spec.kind) {
    case 'bool':
      if (raw !== 'true' && raw !== 'false') throw new PipelineError(`option '${key}' of '${pass.name}' takes true or false, got '${raw}'`);
      return raw === 'true';
    case 'int': {
      const v = Number(raw);
      if (!Number.isInteger(v)) throw new PipelineError(`option '${key}' of '${pass.name}' takes an integer, got '${raw}'`);
      return v;
    }
    case 'list': {
      const items = raw === '' ? [] : raw.split(',').map((x) => x.trim());
      const bad = items.find((x) => !spec.values.includes(x));
      if (bad !== undefined) throw new PipelineError(`option '${key}' of '${pass.name}' accepts ${spec.values.join(', ')}; got '${bad}'`);
      return items;
    }
    case 'enum':
      if (!spec.values.includes(raw)) throw new PipelineError(`option '${key}' of '${pass.name}' takes one of ${spec.values.join(', ')}; got '${raw}'`);
      return raw;
  }
}

/** Parses `canonicalize,fuse-gemm-epilogue{ops=bias,gelu}`; options inside braces are space-separated. */
export function parsePipeline(text: string): PipelineStep[] {
  return splitTop(text).map((item) => {
    const m = /^([a-z][a-z0-9-]*)(?:\{(.*)\})?$/s.exec(item);
    if (!m) throw new PipelineError(`cannot read pass '${item}': expected NAME or NAME{option=value ...}`);
    const pass = PASSES.get(m[1]!);
    if (!pass) throw new PipelineError(`unknown pass '${m[1]}'${didYouMean(m[1]!, PASSES.keys())} (bertc passes lists them)`);
    const options: Record<string, unknown> = Object.fromEntries(Object.entries(pass.options).map(([k, s]) => [k, s.default]));
    for (const kv of (m[2] ?? '').split(/\s+/).filter(Boolean)) {
      const eq = kv.indexOf('=');
      if (eq < 0) throw new PipelineError(`option '${kv}' of '${pass.name}' needs a value: NAME=VALUE`);
      options[kv.slice(0, eq)] = parseOption(pass, kv.slice(0, eq), kv.slice(eq + 1));
    }
    return { pass, options: options as OptionValues<Record<string, OptionSpec>>, text: item };
  });
}

/**
 * A precision choice as the CLI's `--precision` and the playground take it: `MODE` or
 * `MODE{low=.. f32=..}`, read by the precision pass's own option parser.
 */
export function parsePrecision(value: string): PrecisionPolicy {
  const m = /^([a-z0-9]+)(?:\{(.*)\})?$/s.exec(value.trim());
  const mode = m?.[1] ?? '';
  if (!(PRECISION_MODES as readonly string[]).includes(mode)) throw new PipelineError(`'${value}' is not ${PRECISION_MODES.join(', ')} (optionally with {low=.. f32=..}, see bertc passes)`);
  const [step] = parsePipeline(`precision{mode=${mode}${m![2] ? ` ${m![2]}` : ''}}`);
  return policyOf(step!.options as Parameters<typeof policyOf>[0]);
}

export interface PassRecord {
  readonly step: string;
  readonly ms: number;
  readonly stats: [string, number][];
  readonly module: Module;
}

export interface RunPipelineOptions {
  /** Called with the module before/after the passes named (or all, with '*'), for --print-before/after. */
  readonly printBefore?: ReadonlySet<string>;
  readonly printAfter?: ReadonlySet<string>;
  readonly onPrint?: (when: string, m: Module) => void;
}

/** Runs the steps in order, verifying the graph and the kernel partition after every one. */
export function runPipeline(m: Module, steps: readonly PipelineStep[], opts: RunPipelineOptions = {}): { module: Module; records: PassRecord[] } {
  const records: PassRecord[] = [];
  const wants = (set: ReadonlySet<string> | undefined, name: string) => set && (set.has('*') || set.has(name));
  let cur = m;
  for (const step of steps) {
    if (wants(opts.printBefore, step.pass.name)) opts.onPrint?.(`before ${step.text}`, cur);
    const stats = new Statistics();
    const t0 = performance.now();
    cur = step.pass.run(cur, step.options, stats);
    const ms = performance.now() - t0;
    verifyGraph(cur.graph, `pass '${step.text}'`);
    verifyPartition(cur, `pass '${step.text}'`);
    kernelsOf(cur); // computes the kernels once (and fails on a cyclic plan); later stages reuse them
    records.push({ step: step.text, ms, stats: stats.entries(), module: cur });
    if (wants(opts.printAfter, step.pass.name)) opts.onPrint?.(`after ${step.text}`, cur);
  }
  return { module: cur, records };
}
