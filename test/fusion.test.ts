import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { LEVELS, PASSES } from '../passes/registry.js';
import { build, initialModule, loadText, Session } from '../src/driver.js';
import type { Graph } from '../src/ir/graph.js';
import { interpret } from '../src/interp/interpret.js';
import type { Tensor } from '../src/interp/tensor.js';
import { executeKernels } from '../src/kernel/execute.js';
import { buildKernels } from '../src/kernel/kernels.js';
import type { Module } from '../src/kernel/module.js';
import { moduleStats } from '../src/kernel/stats.js';
import { HOST_CPU } from '../src/accel/presets.js';
import { randomBindings, randomProgram } from './support/randomProgram.js';
import { bertGraph, maxAbsDiff, reference, weights } from './support/reference.js';

/** Runs a pipeline; tile-gemm, the one pass that needs an accelerator, gets the host's. */
function optimize(graph: Graph, pipeline: string, train: boolean): Module {
  const start = { ...initialModule({ graph, config: undefined, constants: new Map() }, train), accel: HOST_CPU };
  return runPipeline(start, parsePipeline(pipeline)).module;
}

function worstDiff(a: Map<string, Tensor>, b: Map<string, Tensor>): number {
  return Math.max(...[...a].map(([k, t]) => maxAbsDiff(t, b.get(k)!)));
}

const layerPatterns = (m: Module, layer = 0) => moduleStats(m, `encoder.layer.${layer}`).kernels.map((k) => k.pattern);

describe('kernel counts of one BERT encoder layer', () => {
  const g = bertGraph('tiny');

  it('training mode: 29 kernels at -O0, 7 at -O2', () => {
    expect(layerPatterns(optimize(g, LEVELS.O0!, true))).toHaveLength(29);
    const o2 = optimize(g, LEVELS.O2!, true);
    expect(layerPatterns(o2, 1), 'every layer is planned alike').toEqual(layerPatterns(o2, 0));
    expect(layerPatterns(o2)).toEqual([
      'gemm_bias', // Q, K and V in one GEMM, bias in its epilogue
      'attention_dropout', // Q K^T, scale, mask, softmax, dropout and P V: heads read through strides, the context stored straight into [B, S, H]
      'gemm', // attention output projection
      'bias_dropout_residual_layernorm',
      'gemm_bias_gelu', // FFN up-projection
      'gemm', // FFN down-projection
      'bias_dropout_residual_layernorm',
    ]);
  });

  it('inference mode drops dropout: 26 kernels at -O0, 7 at -O2', () => {
    expect(layerPatterns(optimize(g, LEVELS.O0!, false))).toHaveLength(26);
    const o2 = layerPatterns(optimize(g, LEVELS.O2!, false));
    expect(o2).toHaveLength(7);
    expect(o2).toContain('attention');
    expect(o2.filter((p) => p === 'bias_residual_layernorm')).toHaveLength(2);
  });

  it('without epilogue fusion, bias + GELU is still one kernel', () => {
    const m = optimize(g, 'canonicalize,fold-movement,fuse-reductions,fuse-elementwise', true);
    expect(layerPatterns(m)).toContain('bias_gelu');
  });

  it('the memory-bound part moves at least 2x fewer bytes in at least 2x fewer kernels', () => {
    // Fused attention holds the attention GEMMs: it is not counted with the memory-bound kernels.
    const memoryBound = (m: Module) => moduleStats(m, 'encoder.layer.0').kernels.filter((k) => k.kind !== 'gemm' && k.kind !== 'attention');
    const bytes = (ks: ReturnType<typeof memoryBound>) => ks.reduce((s, k) => s + k.bytes_read + k.bytes_written, 0);
    const o0 = memoryBound(optimize(g, LEVELS.O0!, true));
    const o2 = memoryBound(optimize(g, LEVELS.O2!, true));
    expect(o0.length / o2.length).toBeGreaterThanOrEqual(2);
    expect(bytes(o0) / bytes(o2)).toBeGreaterThanOrEqual(2);
  });
});

describe('passes preserve semantics', () => {
  const bindings = { inputs: new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)])), param: (n: string) => weights.get(n) };
  // Every pass but those that round by design (precision, tested against its own tolerance in test/precision.test.ts).
  const exact = [...PASSES.values()].filter((p) => !p.approximates).map((p) => p.name);
  const pipelines = [...exact, LEVELS.O2!, 'fuse-gemm-epilogue{ops=bias},fuse-elementwise', 'fold-movement,fuse-elementwise,fuse-reductions'];

  for (const train of [false, true]) {
    it.each(pipelines)(`bert tiny, ${train ? 'training' : 'inference'}: %s`, (pipeline) => {
      const g = bertGraph('tiny');
      const before = interpret(g, bindings.inputs, bindings.param, { train, seed: 11, taps: true });
      const after = executeKernels(optimize(g, pipeline, train), bindings.inputs, bindings.param, { train, seed: 11, taps: true });
      expect(worstDiff(before.outputs, after.outputs)).toBeLessThanOrEqual(1e-5);
      expect(worstDiff(before.taps, after.taps)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('on 200 random graphs, for every pass alone and for -O2', () => {
    const all = [...exact, LEVELS.O2!];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.boolean(), (seed, train) => {
        const s = new Session();
        const g = build(s, loadText(s, `random-${seed}.ir`, randomProgram(seed).text), {}).graph;
        const { inputs, params } = randomBindings(g, seed);
        const before = interpret(g, inputs, (n) => params.get(n)!, { train, seed });
        for (const pipeline of all) {
          const m = optimize(g, pipeline, train);
          buildKernels(m);
          const after = executeKernels(m, inputs, (n) => params.get(n)!, { train, seed });
          expect(worstDiff(before.outputs, after.outputs), `seed ${seed}, ${pipeline}`).toBeLessThanOrEqual(1e-5);
        }
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
