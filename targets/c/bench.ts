import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Accelerator } from '../../src/accel/accelerator.js';
import { costModule } from '../../src/cost/model.js';
import type { GemmProblem } from '../../src/cost/gemm.js';
import { ADAMW_DEFAULTS, adamwInputs, DYNAMIC_SCALING, scaledAdamwInputs } from '../../src/core/adamw.js';
import { isOptimizerInput, LOSS_SCALE, stateUpdates, stepResults } from '../../src/ir/adamw.js';
import { isFloat } from '../../src/ir/dtype.js';
import { graphNodes } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import { numel } from '../../src/ir/shape.js';
import { makeTensor } from '../../src/interp/tensor.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import type { Module } from '../../src/kernel/module.js';
import { CLikeRenderer } from '../common/renderer.js';
import { buildC, writeC, type CBuildOptions } from './compile.js';

export interface BenchResult {
  readonly median_ms: number;
  readonly runs: number;
  readonly kernels: readonly {
    readonly name: string;
    readonly measured_ms: number;
    readonly predicted_ms: number;
    readonly matrix_flops: number;
    /** The GEMMs it computes (a fused attention's two products), to rate a BLAS on the same shapes. */
    readonly gemms: readonly GemmProblem[];
  }[];
}

/**
 * The hyper-parameters a timed training step runs with (torch.optim.AdamW's defaults, as
 * bench/train_step_torch.py's), its scalars those of a first step: timing does not depend on them,
 * only on their being finite.
 */
function stepScalars(g: Module['graph']): Map<string, number> {
  const values = new Map([...scaledAdamwInputs(ADAMW_DEFAULTS, DYNAMIC_SCALING), ...adamwInputs({ ...ADAMW_DEFAULTS, clipNorm: 1 }, 1)].map(([name, t]) => [name, t.data[0]!]));
  return new Map(g.inputs.filter(isOptimizerInput).map((n) => {
    const name = n.attr<string>('name');
    const v = values.get(name);
    if (v === undefined || numel(n.type.shape) !== 1) throw new Error(`internal: no value to time the step with for its input '${name}'`);
    return [name, v];
  }));
}

/**
 * A C main that times `runs` calls after 3 warm-ups and prints medians as JSON: of bertc_run, or
 * for a training step of bertc_step, which updates the weights and moments in place and runs the
 * weight transforms again, as a training loop calls it.
 */
export function benchHarness(m: Module): string {
  const r = new CLikeRenderer();
  const ins = m.graph.inputs;
  const step = stateUpdates(m.graph).size > 0;
  const outs = step ? stepResults(m.graph) : m.graph.outputs;
  const scalars = step ? stepScalars(m.graph) : new Map<string, number>();
  /** Element i of an input: a smooth float signal, or 0 and 1 for integers and masks; an optimizer scalar its value. */
  const fill = (n: Node) => {
    const d = n.type.dtype;
    const v = scalars.get(n.attr<string>('name'));
    return r.store(v !== undefined ? r.literal(v, d) : `(${r.type(d)})${isFloat(d) ? `(${r.literal(0.5, d)} * sinf((${r.type(d)})i))` : '(i % 2)'}`, d);
  };
  const decl = [
    ...ins.map((n, i) => `  ${r.storageType(n.type.dtype)} *in${i} = calloc(${numel(n.type.shape)}, sizeof *in${i});\n  for (long i = 0; i < ${numel(n.type.shape)}; i++) in${i}[i] = ${fill(n)};`),
    ...outs.map((o, i) => `  ${r.storageType(o.node.type.dtype)} *out${i} = calloc(${numel(o.node.type.shape)}, sizeof *out${i});`),
  ].join('\n');
  const args = [...ins.map((_, i) => `in${i}`), ...outs.map((_, i) => `out${i}`), '0'].join(', ');
  const entry = step ? 'bertc_step' : 'bertc_run';
  return `/* Times ${entry}: ./bench WEIGHTS RUNS (built with -DBERTC_PROFILE for per-kernel times). */
#include "model.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int runs = atoi(argv[2]);
  char err[512];
  bertc_model *m;
  if (bertc_init(&m, argv[1], 0, err, sizeof err)) { fprintf(stderr, "%s\\n", err); return 1; }
${decl}
  double *total = calloc((size_t)runs, sizeof(double)), *k = calloc((size_t)runs * (size_t)bertc_kernel_count, sizeof(double)), *col = calloc((size_t)runs, sizeof(double));
  for (int w = 0; w < 3; w++) ${entry}(m, ${args});
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    ${entry}(m, ${args});
    total[r] = now() - t0;
    bertc_kernel_times(m, k + (size_t)r * (size_t)bertc_kernel_count);
  }
  qsort(total, (size_t)runs, sizeof(double), cmp);
  printf("{\\"median_s\\": %.9f, \\"kernels\\": [", total[runs / 2]);
  for (int i = 0; i < bertc_kernel_count; i++) {
    for (int r = 0; r < runs; r++) col[r] = k[(size_t)r * (size_t)bertc_kernel_count + (size_t)i];
    qsort(col, (size_t)runs, sizeof(double), cmp);
    printf("%s%.9f", i ? ", " : "", col[runs / 2]);
  }
  printf("]}\\n");
  bertc_free(m);
  return 0;
}
`;
}

/** A model compiled with per-kernel timing, ready to be timed again and again (interleaved with a peer, say). */
export interface BuiltBench {
  /** Times `runs` calls of bertc_run, or of bertc_step for a training step (after 3 warm-ups), in a process of its own. */
  run(runs: number): BenchResult;
  /** Removes the build. */
  dispose(): void;
}

/**
 * Compiles a module to C with per-kernel timing and writes random weights for it; each `run`
 * measures median latency and per-kernel medians next to the cost model's predictions for `accel`.
 */
export function buildBenchC(m: Module, accel: Accelerator, opts: CBuildOptions = {}): BuiltBench {
  const dir = mkdtempSync(join(tmpdir(), 'bertc-bench-'));
  try {
    writeC(m, { source: 'model.ir', command: 'bertc bench', accel }, dir, { 'bench.c': benchHarness(m) });
    const exe = buildC(dir, opts, { main: 'bench.c', exe: 'bench', flags: ['-DBERTC_PROFILE'] });
    let seed = 12345;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5) * 0.1;
    // Weights at random, the optimizer's state as a first step finds it (moments zero, the loss scale its first).
    const params = new Map(graphNodes(m.graph).filter((n) => n.op === 'param').map((n) => {
      const name = n.attr<string>('name');
      const t = makeTensor(n.type.dtype, n.type.shape);
      if (name === LOSS_SCALE) t.data.fill(DYNAMIC_SCALING.init);
      else if (!name.startsWith('adamw.')) for (let i = 0; i < t.data.length; i++) t.data[i] = next();
      return [name, t];
    }));
    const weights = join(dir, 'weights.safetensors');
    writeFileSync(weights, encodeSafetensors(params));
    const costs = costModule(m, accel);
    return {
      run(runs: number): BenchResult {
        const out = JSON.parse(execFileSync(exe, [weights, String(runs)]).toString()) as { median_s: number; kernels: number[] };
        return {
          median_ms: out.median_s * 1e3,
          runs,
          kernels: costs.map((c, i) => ({
            name: c.name,
            measured_ms: out.kernels[i]! * 1e3,
            predicted_ms: c.predicted_s * 1e3,
            matrix_flops: c.flops_detail.matrix,
            gemms: c.products?.map((p) => p.problem) ?? (c.schedule ? [c.schedule.problem] : []),
          })),
        };
      },
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** buildBenchC, one run of `runs` calls, and the build removed. */
export function benchC(m: Module, accel: Accelerator, opts: CBuildOptions & { readonly runs: number }): BenchResult {
  const built = buildBenchC(m, accel, opts);
  try {
    return built.run(opts.runs);
  } finally {
    built.dispose();
  }
}

export function formatBench(b: BenchResult): string {
  const w = Math.max(6, ...b.kernels.map((k) => k.name.length));
  const rows = b.kernels.map((k) => `${k.name.padEnd(w)}  ${k.measured_ms.toFixed(3).padStart(11)}  ${k.predicted_ms.toFixed(3).padStart(12)}  ${(k.predicted_ms / k.measured_ms).toFixed(2).padStart(9)}${k.matrix_flops ? `  ${(k.matrix_flops / k.measured_ms / 1e6).toFixed(1).padStart(8)} GFLOP/s` : ''}`);
  return `median latency ${b.median_ms.toFixed(3)} ms over ${b.runs} runs (after 3 warm-ups)\n${'kernel'.padEnd(w)}  measured ms  predicted ms  pred/meas\n${rows.join('\n')}\n`;
}
