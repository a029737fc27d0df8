import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { LEVELS } from '../passes/registry.js';
import { build, initialModule, loadText, Session } from '../src/driver.js';
import { canonicalForm } from '../src/ir/printer.js';
import { interpret } from '../src/interp/interpret.js';
import { executeKernels } from '../src/kernel/execute.js';
import { buildKernels } from '../src/kernel/kernels.js';
import type { Module } from '../src/kernel/module.js';
import { verifyPartition } from '../src/kernel/verify.js';
import { graphNodes } from '../src/ir/graph.js';
import { printModule } from '../src/kernel/printer.js';
import { BERT_PATH, maxAbsDiff, reference, weights } from './support/reference.js';

function compile(text: string, file: string, pipeline: string, train: boolean, config?: string): Module {
  const s = new Session();
  const built = build(s, loadText(s, file, text), { config });
  return runPipeline(initialModule(built, train), parsePipeline(pipeline)).module;
}

const summary = (m: Module) => buildKernels(m).map((k) => `${k.name}:${k.kind}:${k.ops.map((n) => n.op).join(',')}|in ${k.inputs.length}|out ${k.outputs.length}`);

describe('a printed kernel plan', () => {
  const bert = readFileSync(BERT_PATH, 'utf8');
  for (const [level, train] of [['O2', true], ['O2', false], ['O0', true]] as const) {
    it(`parses back to the same graph and kernels (-${level}, ${train ? 'training' : 'inference'})`, () => {
      const m = compile(bert, 'models/bert.ir', LEVELS[level]!, train, 'tiny');
      const printed = printModule(m);
      const again = compile(printed, 'plan.ir', '', train);
      expect(canonicalForm(again.graph, 'live')).toBe(canonicalForm(m.graph, 'live'));
      expect(summary(again)).toEqual(summary(m));
      // Comments carry provenance (layer scopes), which the printed form does not keep.
      const code = (t: string) => t.replace(/\s*\/\/.*$/gm, '');
      expect(code(printModule(again))).toBe(code(printed));
    });
  }

  it('runs kernel by kernel to the same outputs as the interpreter', () => {
    const m = compile(bert, 'models/bert.ir', LEVELS.O2!, true, 'tiny');
    const again = compile(printModule(m), 'plan.ir', '', true);
    const inputs = new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)]));
    const param = (n: string) => weights.get(n);
    const want = interpret(m.graph, inputs, param, { train: true, seed: 9 }).outputs;
    const got = executeKernels(again, inputs, param, { train: true, seed: 9 }).outputs;
    for (const [name, t] of want) expect(maxAbsDiff(got.get(name)!, t), name).toBeLessThanOrEqual(1e-6);
  });
});

describe('the kernel-plan verifier', () => {
  // neg, a transpose view of it, and a neg that reads the view: the view between two kernels, or
  // (what no pass may produce) between two ops of one kernel.
  const s = new Session();
  const base = initialModule(build(s, loadText(s, 'view.ir', 'model m(x: f32[4, 4]) -> (y: f32[4, 4]) {\n  return neg(transpose(neg(x), perm=[1, 0]));\n}\n'), {}), false);
  const [inner, view, outer] = graphNodes(base.graph).filter((n) => n.op === 'neg' || n.op === 'transpose').sort((a, b) => a.id - b.id);
  const withGroups = (outerGroup: number): Module => ({ ...base, partition: { groupOf: new Map([[inner!, 0], [outer!, outerGroup]]), views: new Set([view!]) } });

  it('accepts a view whose source is in an earlier kernel, which prints', () => {
    expect([inner!.op, view!.op, outer!.op]).toEqual(['neg', 'transpose', 'neg']);
    expect(() => verifyPartition(withGroups(1), 'test')).not.toThrow();
    expect(printModule(withGroups(1))).toContain('  }\n  v_1: f32[4, 4] = transpose(v, perm=[1, 0]);\n  kernel k1_neg {');
  });

  it('rejects a view whose source and reader are ops of one kernel, which the printer cannot place', () => {
    const m = withGroups(0);
    expect(() => printModule(m)).toThrow(/printing node #\d+ before its definition/);
    expect(() => verifyPartition(m, "pass 'some-fusion'")).toThrow(
      `internal: kernel partition invalid after pass 'some-fusion':\n  kernel 'k0_neg' reads its own neg #${inner!.id} through view transpose #${view!.id} (read by neg #${outer!.id}): a view stands between kernels, so its source must be in an earlier kernel`,
    );
  });
});
