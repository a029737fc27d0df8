import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Accelerator } from '../../src/accel/accelerator.js';
import { costModule } from '../../src/cost/model.js';
import type { GemmProblem } from '../../src/cost/gemm.js';
import { isFloat, type DType } from '../../src/ir/dtype.js';
import { graphNodes } from '../../src/ir/graph.js';
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

/** A C main that times `runs` calls of bertc_run after 3 warm-ups and prints medians as JSON. */
function benchMain(m: Module): string {
  const r = new CLikeRenderer();
  const ins = m.graph.inputs;
  const outs = m.graph.outputs;
  /** Element i of an input: a smooth float signal, or 0 and 1 for integers and masks. */
  const fill = (d: DType) => r.store(`(${r.type(d)})${isFloat(d) ? `(${r.literal(0.5, d)} * sinf((${r.type(d)})i))` : '(i % 2)'}`, d);
  const decl = [
    ...ins.map((n, i) => `  ${r.storageType(n.type.dtype)} *in${i} = calloc(${numel(n.type.shape)}, sizeof *in${i});\n  for (long i = 0; i < ${numel(n.type.shape)}; i++) in${i}[i] = ${fill(n.type.dtype)};`),
    ...outs.map((o, i) => `  ${r.storageType(o.node.type.dtype)} *out${i} = calloc(${numel(o.node.type.shape)}, sizeof *out${i});`),
  ].join('\n');
  const args = [...ins.map((_, i) => `in${i}`), ...outs.map((_, i) => `out${i}`), '0'].join(', ');
  return `/* Times bertc_run: ./bench WEIGHTS RUNS (built with -DBERTC_PROFILE for per-kernel times). */
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
  for (int w = 0; w < 3; w++) bertc_run(m, ${args});
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    bertc_run(m, ${args});
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
  /** Times `runs` calls of bertc_run (after 3 warm-ups), in a process of its own. */
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
    writeC(m, { source: 'model.ir', command: 'bertc bench', accel }, dir, { 'bench.c': benchMain(m) });
    const exe = buildC(dir, opts, { main: 'bench.c', exe: 'bench', flags: ['-DBERTC_PROFILE'] });
    let seed = 12345;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5) * 0.1;
    const params = new Map(graphNodes(m.graph).filter((n) => n.op === 'param').map((n) => {
      const t = makeTensor(n.type.dtype, n.type.shape);
      for (let i = 0; i < t.data.length; i++) t.data[i] = next();
      return [n.attr<string>('name'), t];
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
