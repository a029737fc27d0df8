/**
 * Generated C is free of undefined behaviour on any float input: NaN, infinities, values near
 * FLT_MAX and subnormals, in inputs and in weights, are run through every kernel kind with a
 * special function (softmax's exp, both GELU forms, layernorm, exp, tanh, erf, float-to-int casts,
 * training-mode dropout) under UndefinedBehaviorSanitizer. Without recovery, any report aborts the
 * run, so a clean exit means no report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_CPU } from '../src/accel/presets.js';
import { loadText, plan, planProgram, Session } from '../src/driver.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { encodeSafetensors } from '../src/io/safetensors.js';
import { graphNodes } from '../src/ir/graph.js';
import type { Module } from '../src/kernel/module.js';
import { LEVELS } from '../passes/registry.js';
import { buildC, runBuilt, writeC } from '../targets/c/compile.js';

const HAVE_CC = spawnSync('cc', ['--version']).status === 0;
if (!HAVE_CC) console.warn('test/c-ubsan.test.ts: skipped: no C compiler (`cc`) on PATH');

const UBSAN = ['-O1', '-g', '-fsanitize=undefined', '-fsanitize=float-cast-overflow', '-fno-sanitize-recover=all'];

const tmp = mkdtempSync(join(tmpdir(), 'bertc-c-ubsan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every kind of value that has no business in a float-to-int conversion or a shift. */
const SPECIALS = [NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e30, -1e30, 88.5, -88.5, 200, -200, 1e-45, -1e-40, 1.2e-38, 0, -0];

/** Rows of specials (several per row, so some rows hold no NaN and reach the exp and casts finite) among ordinary values. */
function poisoned(shape: readonly number[], offset: number): Tensor {
  const t = makeTensor('f32', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = i % 3 === 0 ? SPECIALS[(i / 3 + offset) % SPECIALS.length]! : ((i * 37) % 11) / 4 - 1.25;
  return t;
}

function runUnderUbsan(m: Module, name: string, inputs: ReadonlyMap<string, Tensor>, params: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
  const dir = join(tmp, name);
  writeC(m, { source: `${name}.ir`, command: 'test', accel: HOST_CPU }, dir);
  const weights = join(tmp, `${name}.safetensors`);
  writeFileSync(weights, encodeSafetensors(params));
  return runBuilt(m, buildC(dir, { cflags: UBSAN }), weights, inputs, 99);
}

const PROGRAM = `
model specials(x: f32[4, 48], y: f32[4, 48]) -> (sm: f32[4, 48], g: f32[4, 16], gt: f32[4, 16], ln: f32[4, 48], e: f32[4, 48], th: f32[4, 48], er: f32[4, 48], ci: f32[4, 48]) {
  param w: f32[16, 48];
  param b: f32[16];
  param gamma: f32[48];
  param beta: f32[48];
  sm = dropout(softmax(x * 0.125 + y, axis=-1), p=0.1);
  h = matmul(x, w, transpose_b=true) + b;
  g = gelu(h);
  gt = gelu(h, approximate="tanh");
  ln = dropout(layernorm(x + y, gamma, beta, eps=1e-12), p=0.1);
  e = exp(x);
  th = tanh(y);
  er = erf(x * y);
  ci = cast(cast(x * 1e9, to=i32), to=f32) + cast(cast(y, to=i64), to=f32);
  return sm, g, gt, ln, e, th, er, ci;
}
`;

describe.skipIf(!HAVE_CC)('generated C under UndefinedBehaviorSanitizer', () => {
  it('runs clean on NaN, infinities, huge values and subnormals in every special function', () => {
    const s = new Session();
    const { module, built } = planProgram(s, loadText(s, 'specials.ir', PROGRAM), { train: true, pipeline: LEVELS.O2!, accel: HOST_CPU });
    const params = new Map(graphNodes(built.graph).filter((n) => n.op === 'param').map((n, k) => [n.attr<string>('name'), poisoned(n.type.shape, 5 * k)]));
    const inputs = new Map([['x', poisoned([4, 48], 0)], ['y', poisoned([4, 48], 7)]]);
    const out = runUnderUbsan(module, 'specials', inputs, params);
    // exp must keep its special values, not trade them for whatever a wild conversion gives.
    const x = inputs.get('x')!.data;
    const e = out.get('e')!.data;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) expect(e[i], `exp(NaN) at ${i}`).toBeNaN();
      if (v === -Infinity || v === -200) expect(e[i], `exp(${v}) at ${i}`).toBe(0);
      if (v !== 0 && Math.abs(v) < 1e-30) expect(e[i], `exp(${v}) at ${i}`).toBe(1);
    }
  });

  it('runs bert_tiny in training mode clean on weights and inputs holding specials', () => {
    const s = new Session();
    const { module, built } = plan(s, 'models/bert.ir', { config: 'tiny', sets: new Map([['B', 1], ['S', 8]]), train: true, pipeline: LEVELS.O2!, accel: HOST_CPU });
    const params = new Map(graphNodes(built.graph).filter((n) => n.op === 'param').map((n, k) => [n.attr<string>('name'), poisoned(n.type.shape, k)]));
    const ints = (values: number[]) => makeTensor('i32', [1, 8], Int32Array.from(values));
    const inputs = new Map([
      ['input_ids', ints([1, 7, 100, 3, 511, 0, 2, 9])],
      ['token_type_ids', ints([0, 0, 0, 1, 1, 1, 0, 1])],
      ['attention_mask', ints([1, 1, 1, 1, 1, 1, 0, 0])],
    ]);
    const out = runUnderUbsan(module, 'bert', inputs, params);
    expect(out.get('last_hidden_state')!.data.length).toBe(8 * 128);
  });
});
