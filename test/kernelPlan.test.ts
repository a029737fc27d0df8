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
