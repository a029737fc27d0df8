import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../src/accel/presets.js';
import { build, loadText, plan, planWgsl, Session } from '../src/driver.js';
import { interpret } from '../src/interp/interpret.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { encodeSafetensors } from '../src/io/safetensors.js';
import type { Module } from '../src/kernel/module.js';
import { LEVELS } from '../passes/registry.js';
import { generateWgsl } from '../targets/wgsl/module.js';
import { wgslKernel } from '../targets/wgsl/kernels.js';
import { WgslRenderer } from '../targets/wgsl/renderer.js';
import { buildKernels } from '../src/kernel/kernels.js';
import { kernelClasses, kernelParams } from '../src/kernel/signature.js';
import { runInChromium } from '../targets/wgsl/chromium.js';
import { browserAvailable, browserRequired, browserSkipReason } from './support/browser.js';
import { bertGraph, embeddedBatch, maxAbsDiff, reference, weights, WEIGHTS_PATH } from './support/reference.js';

const accel = PRESETS.get('webgpu-generic')!;

function bertModule(sets: Record<string, number>, train: boolean, pipeline = LEVELS.O2!): Module {
  return plan(new Session(), 'models/bert.ir', { config: 'tiny', sets: new Map(Object.entries(sets)), train, pipeline, accel }).module;
}

async function runWgsl(m: Module, inputs: ReadonlyMap<string, Tensor>, seed = 0) {
  const f = generateWgsl(m, { source: 'models/bert.ir', accel });
  const typed = Object.fromEntries([...inputs].map(([k, t]) => [k, Int32Array.from(t.data as Int32Array)]));
  return runInChromium({ manifest: f.manifest, shaders: f.shaders, weights: readFileSync(WEIGHTS_PATH), inputs: typed, seed });
}

const asTensor = (data: Float32Array | Int32Array, like: Tensor): Tensor => ({ dtype: 'f32', shape: like.shape, data });
const refInputs = new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)]));

describe.skipIf(!browserAvailable && !browserRequired)(`generated WGSL in headless Chromium${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  it('compiles every shader with no message and reproduces Hugging Face within 1e-4', async () => {
    const r = await runWgsl(bertModule({}, false), refInputs);
    expect(r.compilation).toEqual([]);
    expect(maxAbsDiff(asTensor(r.outputs['last_hidden_state']!, reference.get('last_hidden_state')), reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(asTensor(r.outputs['pooler_output']!, reference.get('pooler_output')), reference.get('pooler_output'))).toBeLessThan(1e-4);
  });

  // Other shapes run through `bertc run --target wgsl` in test/run-contract.test.ts.
  it('equals the interpreter in training mode, with the same dropout masks', async () => {
    const r = await runWgsl(bertModule({}, true), refInputs, 4242);
    const want = interpret(bertGraph('tiny'), refInputs, (n) => weights.get(n), { train: true, seed: 4242 }).outputs;
    for (const [name, t] of want) expect(maxAbsDiff(asTensor(r.outputs[name]!, t), t), name).toBeLessThan(1e-5);
  });
});

/** The same value, NaN included (each NaN equals another, -0 equals 0). */
function sameValues(got: ArrayLike<number>, want: ArrayLike<number>): string | undefined {
  if (got.length !== want.length) return `${got.length} elements, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) return `element ${i} is ${g}, the interpreter has ${w}`;
  }
  return undefined;
}

describe.skipIf(!browserAvailable && !browserRequired)(`non-finite constants in WGSL${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  // inf and nan as operands of elementwise ops and of a reduction, and as results of their own.
  const text = `model m(x: f32[4, 8]) -> (top: f32[4, 8], bottom: f32[4, 8], same: f32[4, 8], same2: f32[4, 8], nans: f32[4, 8], row: f32[4], inf_row: f32[4]) {
  return max(x, inf), min(x, -inf), max(x, -inf), min(x, inf), x * nan, reduce_max(min(x, -inf), axes=[-1]), reduce_max(max(x, inf), axes=[-1]);
}
`;
  const x = makeTensor('f32', [4, 8], Float32Array.from({ length: 32 }, (_, i) => (i % 7) - 3.5));

  it.each(['O0', 'O2'])('equal the interpreter, NaN and infinities included, at -%s', async (level) => {
    const s = new Session();
    const program = loadText(s, 'nonfinite.ir', text);
    const { files: f } = planWgsl(s, program, { train: false, pipeline: LEVELS[level]!, accel, source: 'nonfinite.ir' });
    // Spelled as bit patterns, never the largest finite f32 in their place.
    const code = Object.values(f.shaders).join('\n');
    expect(code).not.toMatch(/3\.40282/);
    for (const bits of ['0x7fc00000u', '0x7f800000u', '0xff800000u']) expect(code).toContain(`bertc_f32_bits(${bits})`);
    const r = await runInChromium({ manifest: f.manifest, shaders: f.shaders, weights: encodeSafetensors(new Map()), inputs: { x: x.data as Float32Array } });
    expect(r.compilation).toEqual([]);
    const want = interpret(build(new Session(), loadText(new Session(), 'nonfinite.ir', text), {}).graph, new Map([['x', x]]), (n) => {
      throw new Error(`no weight ${n}`);
    }).outputs;
    for (const [name, t] of want) expect(sameValues(r.outputs[f.results[name]!]!, t.data), name).toBeUndefined();
    expect([...want.get('top')!.data].every((v) => v === Infinity)).toBe(true);
    expect([...want.get('nans')!.data].every(Number.isNaN)).toBe(true);
  });
});

describe('WGSL output', () => {
  it('is byte-identical across runs and matches the golden files (regenerate with vitest -u)', async () => {
    const gen = () => generateWgsl(bertModule({}, true), { source: 'models/bert.ir', accel });
    const a = gen();
    expect(gen()).toEqual(a);
    await expect(`${JSON.stringify(a.manifest, null, 2)}\n`).toMatchFileSnapshot('./wgsl/golden/bert-tiny-train.webgpu.json');
    for (const name of ['k0_embedding_add_layernorm_dropout.wgsl', 'k3_gemm_bias.wgsl', 'k5_attention_dropout.wgsl']) {
      await expect(a.shaders[name]).toMatchFileSnapshot(`./wgsl/golden/bert-tiny-train.${name}`);
    }
  });

  it('keeps BERT-large at batch 32, sequence 512 within the WebGPU spec default limits, running the batch in slices', () => {
    const program = loadText(new Session(), 'models/bert.ir', readFileSync('models/bert.ir', 'utf8'));
    const { files } = planWgsl(new Session(), program, { config: 'large', sets: new Map([['B', 32], ['S', 512]]), train: true, pipeline: LEVELS.O2!, accel, source: 'models/bert.ir' });
    const { manifest } = files;
    const limits = accel.webgpu!;
    // Fused attention never stores the [32, 16, 512, 512] scores (512 MiB); the FFN's [32, 512, 4096]
    // activations (256 MiB) are what a 128 MiB binding cannot hold: the batch runs in slices of 16.
    expect(manifest.batch).toEqual({ size: 32, chunk: 16 });
    expect(manifest.limits['maxComputeWorkgroupStorageSize']).toBeLessThanOrEqual(limits.max_workgroup_storage_bytes);
    expect(manifest.limits['maxStorageBuffersPerShaderStage']).toBeLessThanOrEqual(limits.max_storage_buffers_per_stage);
    expect(manifest.limits['maxStorageBufferBindingSize']).toBeLessThanOrEqual(limits.max_storage_buffer_binding_bytes);
    for (const b of manifest.buffers) expect(b.bytes, b.name).toBeLessThanOrEqual(limits.max_storage_buffer_binding_bytes);
    for (const k of manifest.kernels) for (const d of k.dispatch) expect(d, k.name).toBeLessThanOrEqual(limits.max_workgroups_per_dimension);
    for (const code of Object.values(files.shaders)) {
      const [, x, y] = /@workgroup_size\((\d+), (\d+), 1\)/.exec(code)!;
      expect(Number(x) * Number(y)).toBeLessThanOrEqual(limits.max_invocations_per_workgroup);
    }
  });
});

describe.skipIf(!browserAvailable && !browserRequired)(`WGSL run in batch slices${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  // A device whose bindings hold 300 KiB: at batch 4, sequence 64 the FFN activations (512 KiB) do
  // not fit, so the model runs as two slices of 2.
  const small = { ...accel, webgpu: { ...accel.webgpu!, max_storage_buffer_binding_bytes: 300 * 1024 } };
  const sliced = (train: boolean) => {
    const program = loadText(new Session(), 'models/bert.ir', readFileSync('models/bert.ir', 'utf8'));
    return planWgsl(new Session(), program, { config: 'tiny', sets: new Map([['B', 4], ['S', 64]]), train, pipeline: LEVELS.O2!, accel: small, source: 'models/bert.ir' }).files;
  };

  it('reproduces Hugging Face and the interpreter\'s dropout masks across slices', async () => {
    const f = sliced(false);
    expect(f.manifest.batch).toEqual({ size: 4, chunk: 2 });
    const { inputs, worst } = embeddedBatch(4, 64, 7);
    const typed = Object.fromEntries([...inputs].map(([k, t]) => [k, Int32Array.from(t.data as Int32Array)]));
    const r = await runInChromium({ manifest: f.manifest, shaders: f.shaders, weights: readFileSync(WEIGHTS_PATH), inputs: typed });
    expect(worst(new Map(Object.entries(r.outputs).map(([k, v]) => [k, { dtype: 'f32' as const, shape: [], data: v }])))).toBeLessThan(1e-4);

    const t = sliced(true);
    const rt = await runInChromium({ manifest: t.manifest, shaders: t.shaders, weights: readFileSync(WEIGHTS_PATH), inputs: typed, seed: 99 });
    const want = interpret(bertGraph('tiny', { B: 4, S: 64 }), inputs, (n) => weights.get(n), { train: true, seed: 99 }).outputs;
    for (const [name, w] of want) expect(maxAbsDiff(asTensor(rt.outputs[name]!, w), w), name).toBeLessThan(1e-5);
  });
});

describe('WGSL kernels identified by what they compute', () => {
  const baseShaders = (L: number) => {
    const m = plan(new Session(), 'models/bert.ir', { config: 'base', sets: new Map([['L', L]]), train: true, pipeline: LEVELS.O2!, accel }).module;
    return generateWgsl(m, { source: 'models/bert.ir', accel });
  };

  it('BERT-base has as many shaders with 2 layers as with 12, each dispatch binding its own buffers (generation only)', () => {
    const [two, twelve] = [baseShaders(2), baseShaders(12)];
    const files = (f: ReturnType<typeof baseShaders>) => Object.keys(f.shaders).filter((n) => n.endsWith('.wgsl'));
    expect(files(twelve).length).toBe(files(two).length);
    expect(files(two).length).toBeLessThan(16);
    expect(twelve.manifest.kernels.length).toBeGreaterThan(two.manifest.kernels.length);
    // Dispatches of one shader differ in their buffers and dropout ids, never bind one buffer twice.
    const attention = twelve.manifest.kernels.filter((k) => k.shader === twelve.manifest.kernels.find((x) => x.name.includes('attention_dropout'))!.shader);
    expect(attention).toHaveLength(12);
    expect(new Set(attention.map((k) => k.dropout?.join()))).toHaveProperty('size', 12);
    for (const k of twelve.manifest.kernels) expect(new Set(k.bindings.map((b) => b.buffer)).size, k.name).toBe(k.bindings.length);
  });

  it('gives every instance of a shared shader the code and dispatch of the first (bert_tiny, training and inference)', () => {
    for (const train of [true, false]) {
      const m = bertModule({}, train);
      const env = () => ({ r: new WgslRenderer(), views: m.partition.views, train: m.train, accel, schedules: m.schedules, maxWorkgroupsPerDimension: 65535, maxWorkgroupStorageBytes: 16384 });
      const { classes } = kernelClasses(buildKernels(m), m);
      expect(classes.some((c) => c.instances.length > 1)).toBe(true);
      for (const c of classes) {
        const first = wgslKernel(c.representative, env());
        const position = (k: typeof c.representative, b: (typeof first.bindings)[number]) => (b === 'params' || 'result' in b ? b : kernelParams(k).indexOf(b));
        for (const k of c.instances.slice(1)) {
          const w = wgslKernel(k, env());
          // The code without the header comment, which names the kernel.
          const code = (x: typeof w) => x.code.replace(/^\/\/.*\n/gm, '');
          expect(code(w), k.name).toBe(code(first));
          expect([w.dispatch, w.dropouts, w.bindings.map((b) => position(k, b))], k.name).toEqual([first.dispatch, first.dropouts, first.bindings.map((b) => position(c.representative, b))]);
        }
      }
    }
  });
});

describe('generated WGSL for scatter_add', () => {
  const text = 'model m(u: f32[6, 300], ids: i32[6]) -> (y: f32[5, 300], z: f32[5, 300]) {\n  return scatter_add(u, ids, rows=5), scatter_add(u, ids, rows=5, padding_idx=1);\n}\n';
  const source = 'scatter.ir';
  const files = () => planWgsl(new Session(), loadText(new Session(), source, text), { train: false, pipeline: LEVELS.O2!, accel, source }).files;
  const u = makeTensor('f32', [6, 300], Float32Array.from({ length: 6 * 300 }, (_, i) => ((i * 37) % 101) / 25 - 2));
  const want = (ids: number[]) =>
    interpret(build(new Session(), loadText(new Session(), source, text), {}).graph, new Map([['u', u], ['ids', makeTensor('i32', [6], Int32Array.from(ids))]]), () => {
      throw new Error('no weights');
    }, { f64: true }).outputs;

  it('runs one invocation per column, which zeroes it and adds the rows in index order, without atomics', () => {
    const f = files();
    const scatters = f.manifest.kernels.filter((k) => k.name.includes('scatter_add'));
    expect(scatters.map((k) => k.dispatch)).toEqual([[2, 1, 1], [2, 1, 1]]);
    for (const k of scatters) {
      const code = f.shaders[k.shader]!;
      expect(code).toContain('if (col >= 300) { return; }');
      expect(code).toContain('for (var zr: i32 = 0; zr < 5; zr++) {\n    b2[(zr * 300 + q)] = 0.0f;');
      expect(code).toContain('let row = clamp(b1[i], 0, 4);');
      expect(code).not.toMatch(/atomic/);
    }
  });

  it.skipIf(!browserAvailable && !browserRequired)(`equals the interpreter; an index out of range adds into the nearest row${browserSkipReason ? ` (${browserSkipReason})` : ''}`, async () => {
    const f = files();
    for (const [ids, as] of [[[1, 3, 1, 2, 0, 1], [1, 3, 1, 2, 0, 1]], [[1, 7, -3, 2, 0, 1], [1, 4, 0, 2, 0, 1]]] as const) {
      const r = await runInChromium({ manifest: f.manifest, shaders: f.shaders, weights: encodeSafetensors(new Map()), inputs: { u: u.data as Float32Array, ids: Int32Array.from(ids) } });
      expect(r.compilation).toEqual([]);
      for (const [name, t] of want([...as])) expect(maxAbsDiff(asTensor(r.outputs[f.results[name]!]!, t), t), `${name} for ids ${ids.join(', ')}`).toBeLessThan(1e-5);
    }
  });
});
