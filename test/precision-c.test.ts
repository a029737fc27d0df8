/**
 * f16 and bf16 tensors on the C backend (mixed precision): hand-written programs that cast to bf16
 * and to f16, or take and return 16-bit tensors, run on the float64 interpreter and compiled to C
 * at -O0 and -O2, over every kind of kernel: elementwise chains, row kernels (layernorm, softmax,
 * reduce_*, column sums), gather from a 16-bit table, scatter_add, dropout in training mode, copies
 * and views, and GEMMs on 16-bit operands (plain, transposed, batched attention heads as strided
 * views); bert tiny under --precision bf16 and f16; a training step whose forward and backward run
 * in bf16 (its optimizer's multi-tensor kernel updating the weights in place at -O2). The models
 * are built into a few programs compiled side by side, with the runtime test's two builds.
 *
 * Tolerance: |got - want| <= 1e-3 * max(1, |want|) plus one unit in the last place of the value's
 * storage dtype. The interpreter rounds every f16 and bf16 value to its dtype from float64, the C
 * code from f32 (accumulating in f32): a value that lands next to a rounding boundary may round the
 * other way, which is one ulp of its dtype, not a bug.
 *
 * The conversions themselves are exact: a cast-only program over edge values gives halfFloat.ts's
 * bits, and the runtime's conversions and its 16-bit GEMM packing (any pair of operand types, f32 x
 * bf16 included, which the IR does not write: its matmul operands share a dtype) are checked bit
 * for bit, with and without F16C (-mno-f16c builds the portable path).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { LEVELS } from '../passes/registry.js';
import { HOST_CPU } from '../src/accel/presets.js';
import type { Diagnostic } from '../src/diag/diagnostics.js';
import { build, initialModule, loadText, plan, Session, trainFile } from '../src/driver.js';
import { interpret } from '../src/interp/interpret.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import type { DType } from '../src/ir/dtype.js';
import { defaultPolicy } from '../src/ir/precision.js';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../src/io/halfFloat.js';
import { encodeSafetensors } from '../src/io/safetensors.js';
import type { Module } from '../src/kernel/module.js';
import { decodeOutputs, encodeInputs, RUNTIME_HEADER } from '../targets/c/compile.js';
import { generateC } from '../targets/c/module.js';
import { repositoryFile } from '../targets/common/files.js';
import { caseOf, type Case } from '../targets/fuzz/differential.js';
import { BERT_PATH, reference, weights, WEIGHTS_PATH } from './support/reference.js';

const execFileAsync = promisify(execFile);
const HAVE_CC = spawnSync('cc', ['--version']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'bertc-precision-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HALF: Readonly<Record<'f16' | 'bf16', (v: number) => number>> = {
  f16: (v) => f16BitsToF32(f32ToF16Bits(v)),
  bf16: (v) => bf16BitsToF32(f32ToBf16Bits(v)),
};

/** Deterministic values in [-2, 2), rounded to the tensor's dtype as the interpreter holds them. */
function tensors(specs: Record<string, readonly [DType, readonly number[]]>, seed: number, ints: Record<string, number> = {}): Map<string, Tensor> {
  let state = seed;
  const next = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 4 - 2;
  return new Map(Object.entries(specs).map(([name, [dtype, shape]]) => {
    const t = makeTensor(dtype, shape);
    const round = dtype === 'f16' || dtype === 'bf16' ? HALF[dtype] : (v: number) => v;
    for (let i = 0; i < t.data.length; i++) t.data[i] = name in ints ? Math.floor(((next() + 2) / 4) * ints[name]!) : round(next());
    return [name, t] as const;
  }));
}

interface Program {
  readonly text: string;
  readonly inputs: Record<string, readonly [DType, readonly number[]]>;
  readonly params?: Record<string, readonly [DType, readonly number[]]>;
  /** Integer inputs and the exclusive bound of their values. */
  readonly ints?: Record<string, number>;
  readonly train?: boolean;
}

/** A program's cases at -O0 and -O2, with the interpreter's results. */
function casesOf(p: Program, seed: number): Case[] {
  const program = { seed, text: p.text, inputs: tensors(p.inputs, seed, p.ints), params: tensors(p.params ?? {}, seed + 1) };
  return (['O0', 'O2'] as const).map((level) => caseOf(program, level, p.train ?? false));
}

function moduleOf(c: Case): Module {
  const s = new Session();
  const built = build(s, loadText(s, `catalogue-${c.program.seed}.ir`, c.program.text), {});
  return runPipeline({ ...initialModule(built, c.train), accel: HOST_CPU }, parsePipeline(`${LEVELS[c.level]},tile-gemm`.replace(/^,/, ''))).module;
}

/** The names a generated model.c defines at file scope, renamed per model so that all share one translation unit. */
function fileScopeNames(code: string): string[] {
  const names = ['bertc_model', 'bertc_args', 'bertc_init', 'bertc_run', 'bertc_free', 'bertc_kernel_count', 'bertc_kernel_names', 'bertc_kernel_times', 'main', 'slurp'];
  for (const m of code.matchAll(/^static [^=(]*?(\w+)\(/gm)) names.push(m[1]!);
  return names;
}

/** A compiled model to run: its module, its inputs and weights, and the seed of its dropout. */
interface Unit {
  readonly module: Module;
  readonly inputs: ReadonlyMap<string, Tensor>;
  readonly weights: Uint8Array;
  readonly seed: number;
}

const unitOf = (c: Case): Unit => ({ module: moduleOf(c), inputs: c.program.inputs, weights: encodeSafetensors(c.program.params), seed: c.program.seed });

/**
 * Writes the models of `units` as one C program (each model's file-scope names renamed, its
 * harness's main called in turn) in folder `name`, with each model's weights and inputs. Returns
 * the folder and how to read each model's outputs once the program ran: decoded, and the bytes
 * the harness wrote.
 */
function writeModels(units: readonly Unit[], name: string): { dir: string; outputs: () => { values: Map<string, Tensor>; raw: Buffer }[] } {
  const dir = join(work, name);
  mkdirSync(dir);
  const sources = units.map((u, i) => {
    const files = generateC(u.module, { source: `${name}-${i}.ir`, command: 'precision-c', accel: HOST_CPU });
    mkdirSync(join(dir, `m${i}`));
    writeFileSync(join(dir, `m${i}`, 'in.bin'), encodeInputs(u.module, u.inputs));
    writeFileSync(join(dir, `m${i}`, 'w.safetensors'), u.weights);
    const renames = fileScopeNames(files['model.c']);
    const body = (f: string) => f.replace('#include "model.h"', files['model.h']);
    return `#undef BERTC_MODEL_H\n${renames.map((n) => `#define ${n} m${i}_${n}`).join('\n')}\n${body(files['model.c'])}\n${body(files['main.c'])}\n${renames.map((n) => `#undef ${n}`).join('\n')}\n`;
  });
  const calls = units.map((u, i) => `  { char *args[] = { "model", "m${i}/w.safetensors", "m${i}/in.bin", "m${i}/out.bin", "${u.seed}", 0 }; if (m${i}_main(5, args)) return 1; }`);
  writeFileSync(join(dir, 'bertc_runtime.h'), readFileSync(repositoryFile(RUNTIME_HEADER)));
  writeFileSync(join(dir, 'all.c'), `#include "bertc_runtime.h"\n${sources.join('\n')}\nint main(void) {\n${calls.join('\n')}\n  return 0;\n}\n`);
  return {
    dir,
    outputs: () => units.map((u, i) => {
      const raw = readFileSync(join(dir, `m${i}`, 'out.bin'));
      return { values: decodeOutputs(u.module, raw), raw };
    }),
  };
}

/** Compiles `source` in `dir` into `exe` with `flags` (concurrently with the other builds). */
async function compile(dir: string, source: string, exe: string, flags: readonly string[]): Promise<string> {
  await execFileAsync('cc', ['-std=c11', ...flags, '-o', join(dir, exe), join(dir, source), '-lm'], { cwd: dir });
  return join(dir, exe);
}

const MANTISSA_BITS: Readonly<Partial<Record<DType, number>>> = { f32: 23, bf16: 7, f16: 10 };
const MIN_EXPONENT: Readonly<Partial<Record<DType, number>>> = { f32: -126, bf16: -126, f16: -14 };

/** One unit in the last place of `v` in dtype `d` (the spacing of `d`'s values at |v|; 0 for integer dtypes). */
function ulp(v: number, d: DType): number {
  const bits = MANTISSA_BITS[d];
  if (bits === undefined || !Number.isFinite(v)) return 0;
  const e = v === 0 ? MIN_EXPONENT[d]! : Math.max(MIN_EXPONENT[d]!, Math.floor(Math.log2(Math.abs(v))));
  return 2 ** (e - bits);
}

/** The elements of `got` that miss the interpreter's `want` by more than the tolerance (see the header). */
function misses(want: ReadonlyMap<string, Tensor>, got: ReadonlyMap<string, Tensor>): string[] {
  const out: string[] = [];
  for (const [name, t] of want) {
    const g = got.get(name);
    if (!g || g.dtype !== t.dtype || g.data.length !== t.data.length) {
      out.push(`'${name}': got ${g ? `${g.dtype}[${g.data.length}]` : 'nothing'}, expected ${t.dtype}[${t.data.length}]`);
      continue;
    }
    for (let i = 0; i < t.data.length; i++) {
      const [w, x] = [t.data[i]!, g.data[i]!];
      const ok = Number.isNaN(w) ? Number.isNaN(x) : w === x || Math.abs(x - w) <= 1e-3 * Math.max(1, Math.abs(w)) + ulp(w, t.dtype);
      if (!ok && out.length < 8) out.push(`'${name}'[${i}] (${t.dtype}) is ${x}, the interpreter has ${w}`);
    }
  }
  return out;
}

/** The programs, by what they exercise. Shapes keep every kernel small; dimensions of 16 and more reach the vector paths. */
const PROGRAMS: Record<string, Program> = {
  'a bf16 elementwise chain (gelu, exp, division, a bf16 constant) with f32 and bf16 results': {
    text: `model m(x: f32[4, 40]) -> (y: f32[4, 40], z: bf16[4, 40]) {
  h = cast(x, to=bf16);
  g = gelu(h * 1.1 + h) - 0.3;
  z = exp(g) / (h * h + 1.0);
  return cast(g, to=f32), z;
}
`,
    inputs: { x: ['f32', [4, 40]] },
  },
  'an f16 elementwise chain (tanh, sqrt, max, where) from an f16 input to an f16 result': {
    text: `model m(x: f16[3, 33], y: f32[3, 33]) -> (z: f16[3, 33], w: f32[3, 33]) {
  b = cast(y, to=f16);
  t = tanh(x * b) + sqrt(abs(x) + 0.01);
  z = where(t > b, max(t, b * 2.0), -t);
  return z, cast(z, to=f32) * y;
}
`,
    inputs: { x: ['f16', [3, 33]], y: ['f32', [3, 33]] },
  },
  'a bf16 layernorm over bf16 weights, and softmax, reduce_sum, reduce_mean, reduce_max of bf16 rows': {
    text: `model m(x: f32[6, 48]) -> (ln: bf16[6, 48], sm: bf16[6, 48], s: bf16[6], mu: f32[6, 1], mx: bf16[6]) {
  param g: bf16[48] = "g";
  param b: bf16[48] = "b";
  h = cast(x, to=bf16);
  sm = softmax(h * 3.0, axis=-1);
  return layernorm(h, g, b), sm, reduce_sum(h, axes=[-1]), cast(reduce_mean(h, axes=[-1], keepdims=true), to=f32), reduce_max(h * sm, axes=[1]);
}
`,
    inputs: { x: ['f32', [6, 48]] },
    params: { g: ['bf16', [48]], b: ['bf16', [48]] },
  },
  'f16 softmax and layernorm whose results feed more f16 ops in their kernel': {
    text: `model m(x: f32[5, 20], g: f32[20]) -> (y: f16[5, 20], z: f32[5, 20]) {
  h = cast(x, to=f16);
  gh = cast(g, to=f16);
  y = softmax(h, axis=-1) * 4.0 + h;
  z = layernorm(h * 0.5, gh, gh) * gh;
  return y, cast(z, to=f32);
}
`,
    inputs: { x: ['f32', [5, 20]], g: ['f32', [20]] },
  },
  'bf16 column sums (a bias gradient: the sum over leading axes) with an epilogue': {
    text: `model m(x: f32[2, 24, 40]) -> (s: bf16[40], mu: f32[40]) {
  h = cast(x, to=bf16);
  return reduce_sum(h * h, axes=[0, 1]), cast(reduce_mean(h, axes=[0, 1]), to=f32) * 2.0;
}
`,
    inputs: { x: ['f32', [2, 24, 40]] },
  },
  'a gather from a bf16 table into bf16 and f32 results, and a scatter_add of bf16 rows with repeated indices': {
    text: `model m(ids: i32[2, 9], u: f32[2, 9, 24]) -> (e: bf16[2, 9, 24], f: f32[2, 9, 24], s: bf16[7, 24]) {
  param table: bf16[7, 24] = "table";
  e = gather(table, ids);
  ub = cast(u, to=bf16);
  return e, cast(e, to=f32) + u, scatter_add(reshape(ub, shape=[18, 24]), reshape(ids, shape=[18]), rows=7);
}
`,
    inputs: { ids: ['i32', [2, 9]], u: ['f32', [2, 9, 24]] },
    params: { table: ['bf16', [7, 24]] },
    ints: { ids: 7 },
  },
  'dropout of bf16 and f16 values in training mode': {
    text: `model m(x: f32[4, 64]) -> (y: bf16[4, 64], z: f16[4, 64]) {
  h = cast(x, to=bf16);
  return dropout(h * 1.5, p=0.25), dropout(cast(x, to=f16), p=0.5) + 1.0;
}
`,
    inputs: { x: ['f32', [4, 64]] },
    train: true,
  },
  'bf16 matmuls: plain, a transposed weight (x @ W^T) with a bias epilogue, a transposed left operand': {
    text: `model m(x: f32[2, 24, 40], w: f32[40, 36]) -> (y: bf16[2, 24, 36], l: bf16[2, 24, 17], t: f32[40, 36]) {
  param wt: bf16[17, 40] = "wt";
  param bias: bf16[17] = "bias";
  h = cast(x, to=bf16);
  hw = cast(w, to=bf16);
  y = matmul(h, hw);
  l = gelu(matmul(h, wt, transpose_b=true) + bias);
  t = matmul(reshape(h, shape=[48, 40]), reshape(cast(y, to=bf16), shape=[48, 36]), transpose_a=true);
  return y, l, cast(t, to=f32);
}
`,
    inputs: { x: ['f32', [2, 24, 40]], w: ['f32', [40, 36]] },
    params: { wt: ['bf16', [17, 40]], bias: ['bf16', [17]] },
  },
  'f16 attention: heads as strided views of one projection, Q K^T, softmax, P V, heads merged': {
    text: `model m(x: f16[2, 20, 32]) -> (ctx: f16[2, 20, 32], p: f32[2, 4, 20, 20]) {
  param wqkv: f16[96, 32] = "wqkv";
  qkv = matmul(x, wqkv, transpose_b=true);
  q = transpose(reshape(slice(qkv, axis=2, start=0, end=32), shape=[2, 20, 4, 8]), perm=[0, 2, 1, 3]);
  k = transpose(reshape(slice(qkv, axis=2, start=32, end=64), shape=[2, 20, 4, 8]), perm=[0, 2, 1, 3]);
  v = transpose(reshape(slice(qkv, axis=2, start=64, end=96), shape=[2, 20, 4, 8]), perm=[0, 2, 1, 3]);
  p = softmax(matmul(q, k, transpose_b=true) * 0.35355339, axis=-1);
  ctx = reshape(transpose(matmul(p, v), perm=[0, 2, 1, 3]), shape=[2, 20, 32]);
  return ctx, cast(p, to=f32);
}
`,
    inputs: { x: ['f16', [2, 20, 32]] },
    params: { wqkv: ['f16', [96, 32]] },
  },
  'bf16 model inputs and outputs of several shapes, copied, viewed and computed': {
    text: `model m(a: bf16[3, 5], b: bf16[5, 3], c: f16[4]) -> (a2: bf16[3, 5], bt: bf16[3, 5], s: bf16[3, 5], c2: f16[4], cf: f32[4]) {
  return a, transpose(b, perm=[1, 0]), a + transpose(b, perm=[1, 0]), c, cast(c, to=f32);
}
`,
    inputs: { a: ['bf16', [3, 5]], b: ['bf16', [5, 3]], c: ['f16', [4]] },
  },
};

const named = Object.entries(PROGRAMS).map(([name, p], i) => ({ name, cases: casesOf(p, 11 + i) }));

/** Edge values for the exact conversion test: ties, subnormals, overflow, NaN, signed zeros. */
const EDGES = [
  0, -0, 1, -1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8 + 2 ** -20, 65504, 65519.996, 65520, -65520, 65536, 1e6, -1e30,
  2 ** -14, 2 ** -15, 2 ** -24, 2 ** -25, 1.5 * 2 ** -25, 2 ** -26, 3 * 2 ** -25, -(2 ** -24), 2 ** -126, 2 ** -149, -(2 ** -140), 3.4028234663852886e38,
  -3.3895313892515355e38, 3.39e38, Infinity, -Infinity, NaN, 0.1, -0.3, 1 / 3, Math.PI, 2 ** 100, -(2 ** -100), 1.00390625, 1.01171875,
];
const conversion = caseOf(
  {
    seed: 3,
    text: `model m(x: f32[${EDGES.length}]) -> (b: bf16[${EDGES.length}], h: f16[${EDGES.length}], bb: f32[${EDGES.length}], hh: f32[${EDGES.length}]) {
  b = cast(x, to=bf16);
  h = cast(x, to=f16);
  return b, h, cast(b, to=f32), cast(h, to=f32);
}
`,
    inputs: new Map([['x', makeTensor('f32', [EDGES.length], Float32Array.from(EDGES))]]),
    params: new Map(),
  },
  'O2',
  false,
);

/**
 * The runtime's conversions and 16-bit GEMM, as a C program over bertc_runtime.h:
 *   conv IN OUT   the f32 bit patterns in IN to bf16 and f16 bits (bertc_f32_to_bf16/_f16), then
 *                 every 16-bit pattern to f32 (bertc_bf16_to_f32, bertc_f16_to_f32 and
 *                 bertc_f16_run, F16C's vector form where the build has it), all into OUT
 *   gemm          bertc_gemm with every pair of operand types (f32 x bf16 included) on every
 *                 layout and register blocking, against bertc_sgemm on the operands' f32 values:
 *                 the packing converts exactly, so the products must be equal bit for bit
 */
const RUNTIME_TEST = String.raw`#include "bertc_runtime.h"
#include <stdio.h>

static int conv(const char *in, const char *out) {
  FILE *f = fopen(in, "rb");
  if (!f) return 1;
  fseek(f, 0, SEEK_END);
  const size_t n = (size_t)ftell(f) / 4;
  fseek(f, 0, SEEK_SET);
  uint32_t *bits = malloc(n * 4);
  uint16_t *half = malloc(n * 4 + 65536 * 2);
  float *wide = malloc(65536 * 4 * 3 + 64);
  if (!bits || !half || !wide || fread(bits, 4, n, f) != n) return 1;
  fclose(f);
  for (size_t i = 0; i < n; i++) {
    half[i] = bertc_f32_to_bf16(bertc_bits_f32(bits[i]));
    half[n + i] = bertc_f32_to_f16(bertc_bits_f32(bits[i]));
  }
  uint16_t *all = half + 2 * n;
  for (uint32_t h = 0; h < 65536; h++) all[h] = (uint16_t)h;
  for (uint32_t h = 0; h < 65536; h++) wide[h] = bertc_bf16_to_f32((uint16_t)h), wide[65536 + h] = bertc_f16_to_f32((uint16_t)h);
  /* In runs of 13 (the vector path and its tail). */
  for (int h = 0; h < 65536; h += 13) bertc_f16_run(all + h, wide + 2 * 65536 + h, 65536 - h < 13 ? 65536 - h : 13);
  FILE *o = fopen(out, "wb");
  if (!o || fwrite(half, 2, 2 * n, o) != 2 * n || fwrite(wide, 4, 3 * 65536, o) != 3 * 65536) return 1;
  fclose(o);
  free(bits), free(half), free(wide);
  return 0;
}

static uint64_t state = 0x9E3779B97F4A7C15u;
static float uniform(void) {
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return (float)((double)(state >> 11) / 9007199254740992.0 * 4.0 - 2.0);
}

/* An operand of element type T laid out as layout l (0 row-major, 1 transposed, 2 strided), and its f32 values likewise. */
typedef struct { void *data; float *wide; ptrdiff_t rs, cs; } operand;
static operand lay_out(int rows, int cols, int l, int T) {
  operand o;
  if (l == 0) o.rs = cols + 3, o.cs = 1;
  else if (l == 1) o.rs = 1, o.cs = rows + 5;
  else o.cs = 3, o.rs = 3 * (ptrdiff_t)cols + 2;
  const size_t size = (size_t)(l == 1 ? cols * o.cs : rows * o.rs);
  o.data = malloc(size * 4 + 4);
  o.wide = malloc(size * 4 + 4);
  for (size_t i = 0; i < size; i++) {
    const float v = uniform();
    if (T == BERTC_F32) ((float *)o.data)[i] = o.wide[i] = v;
    else if (T == BERTC_BF16) ((uint16_t *)o.data)[i] = bertc_f32_to_bf16(v), o.wide[i] = bertc_bf16_to_f32(((uint16_t *)o.data)[i]);
    else ((uint16_t *)o.data)[i] = bertc_f32_to_f16(v), o.wide[i] = bertc_f16_to_f32(((uint16_t *)o.data)[i]);
  }
  return o;
}

static int gemm(void) {
  static const bertc_blocking blockings[] = {{128, 1536, 384, 8, 32}, {48, 64, 64, 6, 16}, {32, 96, 48, 8, 16}, {64, 64, 32, 4, 16}, {36, 64, 384, 6, 32}, {6, 10, 7, 3, 5}};
  static const int shapes[][3] = {{37, 45, 50}, {64, 64, 64}, {20, 100, 700}, {1, 1, 1}};
  int checked = 0, failed = 0;
  for (int s = 0; s < 4; s++) {
    const int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
    float *want = malloc((size_t)M * N * 4), *got = malloc((size_t)M * N * 4);
    for (int at = 0; at < 3; at++)
      for (int bt = 0; bt < 3; bt++)
        for (int la = 0; la < 3; la++)
          for (int lb = 0; lb < 3; lb++) {
            if (at == BERTC_F32 && bt == BERTC_F32) continue;
            const operand A = lay_out(M, K, la, at), B = lay_out(K, N, lb, bt);
            for (size_t b = 0; b < sizeof blockings / sizeof blockings[0]; b++) {
              float *ws = malloc(bertc_sgemm_workspace_floats(&blockings[b]) * 4);
              bertc_sgemm(M, N, K, A.wide, A.rs, A.cs, B.wide, B.rs, B.cs, want, N, &blockings[b], ws);
              bertc_gemm(M, N, K, A.data, at, A.rs, A.cs, B.data, bt, B.rs, B.cs, got, N, &blockings[b], ws);
              checked++;
              if (memcmp(want, got, (size_t)M * N * 4) != 0 && failed++ < 10)
                printf("FAIL %dx%dx%d types %d x %d layouts %d x %d blocking %dx%d\n", M, N, K, at, bt, la, lb, blockings[b].mr, blockings[b].nr);
              free(ws);
            }
            free(A.data), free(A.wide), free(B.data), free(B.wide);
          }
    free(want), free(got);
  }
  printf("gemm: %d products bitwise equal, %d not\n", checked - failed, failed);
  return failed != 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "conv")) return conv(argv[2], argv[3]);
  if (argc == 2 && !strcmp(argv[1], "gemm")) return gemm();
  return 2;
}
`;

/**
 * f32 bit patterns for the conversion check: for every value of the top 19 bits (f16's rounding
 * point or above, so every exponent and every kept mantissa), the patterns on and next to the
 * halfway point of f16's rounding and of bf16's, and the extremes of the dropped bits.
 */
function conversionPatterns(): Uint32Array {
  const lows16 = [0, 1, 0x7fff, 0x8000, 0x8001, 0xffff];
  const lows13 = [0x0001, 0x0fff, 0x1000, 0x1001, 0x1fff];
  const out = new Uint32Array(2 ** 16 * lows16.length + 2 ** 19 * lows13.length);
  let at = 0;
  for (let hi = 0; hi < 2 ** 16; hi++) for (const lo of lows16) out[at++] = ((hi << 16) | lo) >>> 0;
  for (let hi = 0; hi < 2 ** 19; hi++) for (const lo of lows13) out[at++] = ((hi << 13) | lo) >>> 0;
  return out;
}

/** Writes the runtime test into a folder of its own, for compile(). */
function writeRuntimeTest(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'bertc_runtime.h'), readFileSync(repositoryFile(RUNTIME_HEADER)));
  writeFileSync(join(dir, 'precision_test.c'), RUNTIME_TEST);
  return dir;
}

/** The runtime test's two builds: with F16C (the vector conversions), and without (the portable path). */
const RUNTIME_BUILDS: Record<string, string[]> = { 'with F16C': ['-march=native'], 'without F16C (-mno-f16c, the portable path)': ['-march=native', '-mno-f16c'] };

const models = named.flatMap((n) => n.cases).concat(conversion);

/** bert tiny under `--precision bf16` and `f16` (docs/precision.md) at -O2, on the reference batch, and the interpreter's outputs. */
const BERT_MODES = ['bf16', 'f16'] as const;
const bertInputs = new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)]));
const bert = BERT_MODES.map((mode) => {
  const s = new Session();
  const module = plan(s, BERT_PATH, { config: 'tiny', precision: defaultPolicy(mode), train: false, pipeline: LEVELS.O2!, accel: HOST_CPU }).module;
  const want = interpret(module.graph, bertInputs, (name) => weights.get(name), { f64: true }).outputs;
  return { mode, module, want };
});
const bertOutputs: Map<string, Tensor>[] = [];
/** Each case's outputs, and each runtime build's executable, once everything is built and run. */
const outputs = new Map<Case, { values: Map<string, Tensor>; raw: Buffer }>();
const runtimeTests = new Map<string, string>();

beforeAll(async () => {
  if (!HAVE_CC) return;
  // The models in two programs and the runtime test's two builds, compiled side by side.
  const half = Math.ceil(models.length / 2);
  const parts = [models.slice(0, half), models.slice(half)].map((cs, i) => ({ cases: cs, ...writeModels(cs.map(unitOf), `models${i}`) }));
  const bertWeights = readFileSync(WEIGHTS_PATH);
  parts.push({ cases: [], ...writeModels(bert.map((b) => ({ module: b.module, inputs: bertInputs, weights: bertWeights, seed: 0 })), 'bert') });
  const runtime = Object.entries(RUNTIME_BUILDS).map(([name, flags], i) => ({ name, flags, dir: writeRuntimeTest(`runtime${i}`) }));
  const exes = await Promise.all([
    ...parts.map((p) => compile(p.dir, 'all.c', 'all', ['-fopenmp', '-w', '-O2', '-march=native'])),
    ...runtime.map((r) => compile(r.dir, 'precision_test.c', 'precision_test', ['-Wall', '-Wextra', '-Werror', '-O2', ...r.flags])),
  ]);
  parts.forEach((p, i) => {
    execFileSync(exes[i]!, [], { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '2' } });
    p.outputs().forEach((o, j) => (p.cases.length ? outputs.set(p.cases[j]!, o) : bertOutputs.push(o.values)));
  });
  runtime.forEach((r, i) => runtimeTests.set(r.name, exes[parts.length + i]!));
}, 120_000);

describe.skipIf(!HAVE_CC)('f16 and bf16 on the C backend', () => {
  it.each(named.map((n) => [n.name, n.cases] as const))('%s: within 1e-3 and one ulp of the interpreter at -O0 and -O2', (_, cs) => {
    for (const c of cs) expect(misses(c.want, outputs.get(c)!.values), `-${c.level}`).toEqual([]);
  });

  it("a cast-only program gives halfFloat.ts's bits on ties, subnormals, overflow, NaN and -0, and converts back exactly", () => {
    const raw = outputs.get(conversion)!.raw;
    const n = EDGES.length;
    const f32 = Float32Array.from(EDGES);
    const bf16 = Array.from(new Uint16Array(raw.buffer, raw.byteOffset, n));
    const f16 = Array.from(new Uint16Array(raw.buffer, raw.byteOffset + 2 * n, n));
    expect(bf16.map((b) => b.toString(16))).toEqual(Array.from(f32, (x) => f32ToBf16Bits(x).toString(16)));
    expect(f16.map((b) => b.toString(16))).toEqual(Array.from(f32, (x) => f32ToF16Bits(x).toString(16)));
    const back = new Float32Array(raw.buffer.slice(raw.byteOffset + 4 * n, raw.byteOffset + 12 * n));
    expect(Array.from(back.subarray(0, n))).toEqual(bf16.map(bf16BitsToF32));
    expect(Array.from(back.subarray(n))).toEqual(f16.map(f16BitsToF32));
    // The rules themselves at their edges: the f16 overflow threshold, a subnormal tie to even and one above it.
    expect([f32ToF16Bits(65519.996), f32ToF16Bits(65520), f32ToF16Bits(2 ** -25), f32ToF16Bits(1.5 * 2 ** -25)]).toEqual([0x7bff, 0x7c00, 0, 1]);
  });

  it('refuses a matmul that accumulates in bf16, and an integer one, as located diagnostics (E0007)', () => {
    const text = 'model m(x: bf16[4, 8], w: bf16[8, 3], i: i32[4, 8], j: i32[8, 3]) -> (y: bf16[4, 3], k: i32[4, 3]) {\n  return matmul(x, w, acc=bf16), matmul(i, j);\n}\n';
    const s = new Session();
    const built = build(s, loadText(s, 'acc.ir', text), {});
    const m = runPipeline({ ...initialModule(built, false), accel: HOST_CPU }, parsePipeline(`${LEVELS.O2!},tile-gemm`)).module;
    let diags: readonly Diagnostic[] = [];
    try {
      generateC(m, { source: 'acc.ir', command: 'test', accel: HOST_CPU });
    } catch (e) {
      diags = (e as { diagnostics?: readonly Diagnostic[] }).diagnostics ?? [];
    }
    expect(diags.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([['E0007', 2, 10], ['E0007', 2, 34]]);
    expect(diags[0]!.message).toMatch(/^'matmul' of type bf16 x bf16 -> bf16 cannot be compiled for the c target: the C runtime's GEMM accumulates in f32 only, and this matmul asks for acc=bf16/);
    expect(diags[1]!.message).toMatch(/multiplies f32, f16 and bf16 operands only, not i32/);
  });
});

describe.skipIf(!HAVE_CC)('bert tiny in mixed precision on C', () => {
  // Measured: within 1.5e-5 (bf16) and 2.5e-4 (f16, one ulp of a pooler value) of the interpreter.
  it.each(BERT_MODES.map((m, i) => [m, i] as const))("--precision %s at -O2 (16-bit GEMM operands, casts in row kernels and epilogues, cast weights at load): within 1e-3 and one ulp of the interpreter", (_, i) => {
    expect(misses(bert[i]!.want, bertOutputs[i]!)).toEqual([]);
  });
});

describe.skipIf(!HAVE_CC)("the C runtime's 16-bit conversions and GEMM", () => {
  it.each(Object.keys(RUNTIME_BUILDS))('convert exactly as halfFloat.ts does, %s', (name) => {
    const dir = join(work, `conv${Object.keys(RUNTIME_BUILDS).indexOf(name)}`);
    mkdirSync(dir);
    const patterns = conversionPatterns();
    writeFileSync(join(dir, 'in.bin'), patterns);
    execFileSync(runtimeTests.get(name)!, ['conv', join(dir, 'in.bin'), join(dir, 'out.bin')]);
    const raw = readFileSync(join(dir, 'out.bin'));
    const n = patterns.length;
    const bf16 = new Uint16Array(raw.buffer, raw.byteOffset, n);
    const f16 = new Uint16Array(raw.buffer, raw.byteOffset + 2 * n, n);
    // A number read straight from a Float32Array keeps a NaN's payload (quieted), all that halfFloat.ts reads of it.
    const values = new Float32Array(patterns.buffer);
    const wrong: string[] = [];
    for (let i = 0; i < n && wrong.length < 8; i++) {
      if (bf16[i] !== f32ToBf16Bits(values[i]!)) wrong.push(`bf16 of ${patterns[i]!.toString(16)}: ${bf16[i]!.toString(16)}, halfFloat.ts ${f32ToBf16Bits(values[i]!).toString(16)}`);
      if (f16[i] !== f32ToF16Bits(values[i]!)) wrong.push(`f16 of ${patterns[i]!.toString(16)}: ${f16[i]!.toString(16)}, halfFloat.ts ${f32ToF16Bits(values[i]!).toString(16)}`);
    }
    const wide = new Float32Array(raw.buffer.slice(raw.byteOffset + 4 * n));
    for (let h = 0; h < 65536 && wrong.length < 8; h++) {
      const [b, f, run] = [wide[h]!, wide[65536 + h]!, wide[2 * 65536 + h]!];
      if (!Object.is(b, bf16BitsToF32(h))) wrong.push(`bf16 bits ${h.toString(16)}: ${b}, halfFloat.ts ${bf16BitsToF32(h)}`);
      if (!Object.is(f, f16BitsToF32(h))) wrong.push(`f16 bits ${h.toString(16)}: ${f}, halfFloat.ts ${f16BitsToF32(h)}`);
      if (!Object.is(run, f)) wrong.push(`bertc_f16_run of ${h.toString(16)}: ${run}, bertc_f16_to_f32 ${f}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(Object.keys(RUNTIME_BUILDS))('multiply f32, f16 and bf16 operands in any pair (f32 x bf16 included) exactly as bertc_sgemm multiplies their f32 values, %s', (name) => {
    expect(execFileSync(runtimeTests.get(name)!, ['gemm'], { encoding: 'utf8' })).toMatch(/^gemm: \d+ products bitwise equal, 0 not$/m);
  });
});

/** A mixed-precision training step: f32 weights, a forward and backward in bf16. */
const STEP_IR = `model m(x: f32[4, 16]) -> (y: f32[4, 8]) {
  param w: f32[8, 16] = "w";
  param g: f32[16] = "g";
  param b: f32[8] = "b";
  h = layernorm(cast(x, to=bf16), cast(g, to=bf16), cast(g, to=bf16));
  y = cast(gelu(matmul(h, cast(w, to=bf16), transpose_b=true)), to=f32) + b;
  return y;
}

loss probe(R: f32[4, 8]) {
  return reduce_sum(y * R, axes=[0, 1]);
}
`;

describe.skipIf(!HAVE_CC)('a training step with a bf16 forward and backward on C', () => {
  it("gives the interpreter's weights and moments after two steps, in place (-O2's multi-tensor kernel) and through swapped buffers (-O0)", async () => {
    const dir = join(work, 'step');
    mkdirSync(dir);
    writeFileSync(join(dir, 'step.ir'), STEP_IR);
    const weights = tensors({ w: ['f32', [8, 16]], g: ['f32', [16]], b: ['f32', [8]] }, 5);
    writeFileSync(join(dir, 'w.safetensors'), encodeSafetensors(weights));
    writeFileSync(join(dir, 'in.safetensors'), encodeSafetensors(new Map([...tensors({ x: ['f32', [4, 16]] }, 6), ...[...tensors({ R: ['f32', [4, 8]] }, 7)].map(([k, t]) => [`loss.${k}`, t] as const)])));
    const hyper = { lr: 1e-3, weightDecay: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-8 };
    const run = (target: 'interp' | 'c', level: string) =>
      trainFile(new Session(), join(dir, 'step.ir'), { weights: join(dir, 'w.safetensors'), inputs: join(dir, 'in.safetensors'), output: join(dir, `${target}-${level}.safetensors`) }, {
        loss: 'probe', steps: 2, hyper, target, pipeline: LEVELS[level]!, cc: { cflags: ['-O1'] },
      });
    const want = (await run('interp', 'O2')).state;
    for (const level of ['O2', 'O0']) {
      const got = (await run('c', level)).state;
      for (const [name, t] of want) {
        const scale = Math.max(1e-30, ...Array.from(t.data, Math.abs));
        const worst = Math.max(...Array.from(t.data, (w, i) => Math.abs(got.get(name)!.data[i]! - w)));
        expect(worst / scale, `${name} at -${level}`).toBeLessThan(1e-3);
      }
    }
  }, 60_000);
});
