import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../src/io/safetensors.js';
import { runInChromium, webgpuAvailable, withRuntimePage, type ChromiumJob, type ChromiumRunError } from '../targets/wgsl/chromium.js';
import { runtimeFiles } from '../targets/wgsl/compile.js';
import { createModel, parseSafetensors, type Manifest } from '../targets/wgsl/runtime.js';
import { browserAvailable, browserRequired, browserSkipReason } from './support/browser.js';

const N = 1000;
const WG = 64;
const groups: [number, number, number] = [Math.ceil(N / WG), 1, 1];

/** y = x * 2 + w, where a once-only kernel first doubles w in place (a weight transform). */
const AXPY = `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < arrayLength(&y)) { y[i] = x[i] * 2.0 + w[i]; }
}
`;
const PREP = `
@group(0) @binding(0) var<storage, read_write> w: array<f32>;

@compute @workgroup_size(${WG})
fn double_w(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&w)) { w[id.x] = w[id.x] * 2.0; }
}
`;
/** Dropout with p = 1/2 of f32(ids): keeps element i when a hash of (i, seed) is odd. */
const DROPOUT = `
struct Params { seed: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> dropped: array<f32>;
@group(0) @binding(3) var<storage, read_write> kept: array<i32>;

fn pcg(x: u32) -> u32 {
  let h = x * 747796405u + 2891336453u;
  let w = ((h >> ((h >> 28u) + 4u)) ^ h) * 277803737u;
  return (w >> 22u) ^ w;
}

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= arrayLength(&ids)) { return; }
  let keep = (pcg(i ^ pcg(params.seed)) & 1u) == 1u;
  dropped[i] = select(0.0, f32(ids[i]) * 2.0, keep);
  kept[i] = select(0, 1, keep);
}
`;

function pcg(x: number): number {
  const h = (Math.imul(x, 747796405) + 2891336453) >>> 0;
  const w = Math.imul(((h >>> ((h >>> 28) + 4)) ^ h) >>> 0, 277803737) >>> 0;
  return ((w >>> 22) ^ w) >>> 0;
}

const MANIFEST: Manifest = {
  schema: 'bertc-webgpu/1',
  model: 'tiny.ir',
  limits: { maxStorageBuffersPerShaderStage: 4 },
  buffers: [
    { name: 'w', bytes: 4 * N, kind: 'weight', dtype: 'f32', source: 'layer.weight' },
    { name: 'x', bytes: 4 * N, kind: 'input', dtype: 'f32' },
    { name: 'ids', bytes: 4 * N, kind: 'input', dtype: 'i32', source: 'input_ids' },
    { name: 'y', bytes: 4 * N, kind: 'output', dtype: 'f32' },
    { name: 'dropped', bytes: 4 * N, kind: 'output', dtype: 'f32' },
    { name: 'kept', bytes: 4 * N, kind: 'output', dtype: 'i32' },
  ],
  uniform: { bytes: 16, fields: { seed: { offset: 0, type: 'u32' } } },
  kernels: [
    { name: 'prep', shader: 'prep', entry: 'double_w', bindings: [{ binding: 0, buffer: 'w' }], dispatch: groups, once: true },
    {
      name: 'axpy',
      shader: 'axpy',
      entry: 'main',
      bindings: [
        { binding: 0, buffer: 'x' },
        { binding: 1, buffer: 'w' },
        { binding: 2, buffer: 'y' },
      ],
      dispatch: groups,
      once: false,
    },
    {
      name: 'dropout',
      shader: 'dropout',
      entry: 'main',
      bindings: [
        { binding: 0, buffer: 'params' },
        { binding: 1, buffer: 'ids' },
        { binding: 2, buffer: 'dropped' },
        { binding: 3, buffer: 'kept' },
      ],
      dispatch: groups,
      once: false,
    },
  ],
};

/** MANIFEST with shapes given to some buffers, as `bertc compile` gives them to all. */
function withShapes(shapes: Record<string, number[]>, base: Manifest = MANIFEST): Manifest {
  return { ...base, buffers: base.buffers.map((b) => (shapes[b.name] ? { ...b, shape: shapes[b.name] } : b)) };
}

const w = Float32Array.from({ length: N }, (_, i) => Math.fround(Math.sin(i) * 3));
const x = Float32Array.from({ length: N }, (_, i) => Math.fround(Math.cos(i * 0.37) * 5));
const ids = Int32Array.from({ length: N }, (_, i) => (i * 7919) % 30522);

function job(changes: Partial<ChromiumJob> = {}): ChromiumJob {
  return {
    manifest: MANIFEST,
    shaders: { axpy: AXPY, prep: PREP, dropout: DROPOUT },
    weights: encodeSafetensors({ 'layer.weight': { dtype: 'f32', shape: [N], data: w } }),
    inputs: { x, input_ids: ids },
    seed: 1234,
    ...changes,
  };
}

/** x * 2 is exact, so y needs one rounding whether or not the compiler fuses a multiply-add. */
const expectedY = Float32Array.from(x, (v, i) => v * 2 + w[i]! * 2);
function expectedDropout(seed: number) {
  const kept = Int32Array.from(ids, (_, i) => pcg((i ^ pcg(seed)) >>> 0) & 1);
  return { kept, dropped: Float32Array.from(ids, (v, i) => (kept[i] ? v * 2 : 0)) };
}

describe('runtime.js without a GPU', () => {
  it('reads F32, I32 and I64 safetensors, aligned or not', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'f32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4.5]) },
      b: { dtype: 'i32', shape: [3], data: new Int32Array([-1, 0, 7]) },
      c: { dtype: 'i64', shape: [2, 1], data: new Float64Array([-(2 ** 40), 101]) },
    });
    const t = parseSafetensors(bytes);
    expect(t.get('a')).toEqual({ dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4.5]) });
    expect(t.get('b')).toEqual({ dtype: 'I32', shape: [3], data: new Int32Array([-1, 0, 7]) });
    expect(t.get('c')).toEqual({ dtype: 'I64', shape: [2, 1], data: new BigInt64Array([-(2n ** 40n), 101n]) });
    // At an odd offset every tensor is copied out rather than viewed.
    const odd = new Uint8Array(bytes.length + 1);
    odd.set(bytes, 1);
    expect(parseSafetensors(odd.subarray(1)).get('b')!.data).toEqual(new Int32Array([-1, 0, 7]));
    expect(parseSafetensors(odd.subarray(1)).get('c')!.data).toEqual(new BigInt64Array([-(2n ** 40n), 101n]));
  });

  it('says what is wrong with a bad file', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'f32', shape: [4], data: new Float32Array(4) } });
    expect(() => parseSafetensors(bytes.subarray(0, 5))).toThrow(/truncated: expected at least 8 bytes/);
    expect(() => parseSafetensors(bytes.subarray(0, 20))).toThrow(/truncated: expected at least \d+ bytes \(8 \+ a header/);
    expect(() => parseSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated: tensor 'a' ends at byte/);
    const flags = encodeSafetensors({ h: { dtype: 'bool', shape: [2], data: new Uint8Array(2) } });
    expect(() => parseSafetensors(flags)).toThrow(/tensor 'h' has dtype "BOOL"; this runtime reads only F32, F16, BF16, I32, I64/);
    // 16-bit floats come as their bits, which is how their buffers take them.
    const half = encodeSafetensors({ h: { dtype: 'f32', shape: [3], data: new Float32Array([1, -2, 65520]) } }, undefined, { h: 'F16' });
    expect(parseSafetensors(half).get('h')).toEqual({ dtype: 'F16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x7c00]) });
  });

  it('rejects manifest mistakes before any GPU call', async () => {
    // createModel reads only device.limits before its checks pass.
    const device = { limits: { maxComputeWorkgroupsPerDimension: 65535, maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27, maxStorageBuffersPerShaderStage: 8 } } as unknown as GPUDevice;
    const shaders = { axpy: AXPY, prep: PREP, dropout: DROPOUT };
    const withKernel = (name: string, change: object): Manifest => ({ ...MANIFEST, kernels: MANIFEST.kernels.map((k) => (k.name === name ? { ...k, ...change } : k)) });
    const cases: [Manifest, RegExp][] = [
      [withKernel('axpy', { bindings: [{ binding: 0, buffer: 'x' }, { binding: 1, buffer: 'x' }] }), /kernel 'axpy' binds buffer 'x' twice \(bindings 0 and 1\)/],
      [withKernel('axpy', { bindings: [{ binding: 0, buffer: 'nope' }] }), /kernel 'axpy' binds unknown buffer 'nope' at binding 0/],
      [withKernel('axpy', { dispatch: [70000, 1, 1] }), /kernel 'axpy' dispatches \[70000, 1, 1\] workgroups/],
      [withKernel('axpy', { shader: 'missing' }), /kernel 'axpy' uses shader 'missing', which is not among the shaders/],
      [{ ...MANIFEST, limits: { maxStorageBuffersPerShaderStage: 10 } }, /needs the WebGPU limit maxStorageBuffersPerShaderStage = 10, the device has 8/],
      [{ ...MANIFEST, buffers: [...MANIFEST.buffers, { name: 'big', bytes: 2 ** 27 + 4, kind: 'intermediate', dtype: 'f32' }] }, /buffer 'big' has 134217732 bytes, over the device's maxStorageBufferBindingSize/],
      [{ ...MANIFEST, uniform: { bytes: 16, fields: { temperature: { offset: 4, type: 'u32' } } } }, /uniform field 'temperature' is not one this runtime fills/],
      [withShapes({ x: [2, 16] }), /buffer 'x' is f32\[2, 16\], which takes 128 bytes, but has 4000/],
      [withShapes({ x: [-1] }), /buffer 'x' has shape \[-1\]; expected an array of non-negative integers/],
    ];
    for (const [manifest, message] of cases) await expect(createModel(device, manifest, shaders, new Map())).rejects.toThrow(message);
    // The manifest's `model` is the source's path, which messages say as such.
    await expect(createModel(device, { ...MANIFEST, limits: { maxStorageBuffersPerShaderStage: 10 } }, shaders, new Map())).rejects.toThrow(/^manifest of the model compiled from tiny\.ir: needs/);
  });

  it('sends runInChromium inputs as their manifest buffers\' dtypes, refusing another typed array before starting a browser', async () => {
    await expect(runInChromium(job({ inputs: { x, input_ids: Float32Array.from(ids) } }))).rejects.toThrow(
      "runInChromium: input 'input_ids' is a Float32Array, its buffer 'ids' holds i32: pass an Int32Array (convert int64 ids to Int32Array)",
    );
    await expect(runInChromium(job({ inputs: { x: Int32Array.from(x), input_ids: ids } }))).rejects.toThrow("runInChromium: input 'x' is an Int32Array, its buffer 'x' holds f32: pass a Float32Array");
    await expect(runInChromium(job({ inputs: { x, input_ids: ids, mask: ids } }))).rejects.toThrow("runInChromium: unknown input 'mask' (the model's inputs are: x, input_ids)");
  });

  it('type-checks under // @ts-check against runtime.d.ts', () => {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    const args = ['--ignoreConfig', '--noEmit', '--allowJs', '--checkJs', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--lib', 'es2022,dom'];
    // execFileSync throws with tsc's diagnostics in the message when there are any.
    execFileSync(process.execPath, [tsc, ...args, 'targets/wgsl/runtime.js'], { encoding: 'utf8' });
  });

  it('type-checks the safetensors layout rules it imports with neither DOM nor Node types', () => {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    const args = ['--ignoreConfig', '--noEmit', '--allowJs', '--checkJs', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--lib', 'es2022', '--types', ''];
    execFileSync(process.execPath, [tsc, ...args, 'src/io/safetensorsLayout.js'], { encoding: 'utf8' });
  });

  it('is written and served with every module it imports, and those import nothing more', () => {
    const files = runtimeFiles();
    const imports = (text: string) => [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports(files['runtime.js']!)).toEqual(['./safetensors-layout.js']);
    expect(Object.keys(files).sort()).toEqual(['runtime.js', 'safetensors-layout.js']);
    expect(imports(files['safetensors-layout.js']!)).toEqual([]);
  });
});

describe.skipIf(!browserAvailable && !browserRequired)(`the WebGPU runtime in headless Chromium${browserSkipReason ? ` (${browserSkipReason})` : ''}`, () => {
  it('finds a WebGPU adapter', async () => {
    const probe = await webgpuAvailable();
    expect(probe.why).toBeUndefined();
    expect(probe.ok).toBe(true);
    expect(probe.adapter?.vendor).toBeTruthy();
  });

  it('runs the kernels in order, once-only kernels once, with the seed in the uniform', async () => {
    const r = await runInChromium(job({ runs: 3 }));
    expect(r.compilation).toEqual([]);
    expect(r.timesMs).toHaveLength(3);
    expect(r.adapter.vendor).toBeTruthy();
    // Had the once-only kernel run before every run, w would have been doubled three more times.
    expect(r.outputs['y']).toEqual(expectedY);
    const want = expectedDropout(1234);
    expect(r.outputs['kept']).toEqual(want.kept);
    expect(r.outputs['dropped']).toEqual(want.dropped);
    // Each output crosses back as its manifest buffer's dtype says: 'kept' is i32.
    expect(r.outputs['kept']).toBeInstanceOf(Int32Array);
    expect(r.outputs['dropped']).toBeInstanceOf(Float32Array);
    // The hash keeps about half, and another seed keeps another half.
    const keptCount = want.kept.reduce((a, b) => a + b, 0);
    expect(keptCount).toBeGreaterThan(400);
    expect(keptCount).toBeLessThan(600);
    const other = await runInChromium(job({ seed: 0xffffffff }));
    expect(other.outputs['kept']).toEqual(expectedDropout(0xffffffff).kept);
    expect(other.outputs['kept']).not.toEqual(want.kept);
  });

  it('reports compilation warnings and still runs', async () => {
    const warned = AXPY.replace('let i = id.x;', 'let i = id.x;\n  if (i > 4000000000u) { return; return; }');
    const r = await runInChromium(job({ shaders: { axpy: warned, prep: PREP, dropout: DROPOUT } }));
    expect(r.compilation).toEqual([expect.objectContaining({ shader: 'axpy', type: 'warning', message: 'code is unreachable', lineNum: 9 })]);
    expect(r.outputs['y']).toEqual(expectedY);
  });

  it('fails on a WGSL error with the compiler message, naming the shader', async () => {
    const broken = AXPY.replace('x[i] * 2.0', 'x[i] * two');
    const failure = runInChromium(job({ shaders: { axpy: broken, prep: PREP, dropout: DROPOUT } }));
    await expect(failure).rejects.toThrow(/WGSL compilation failed:\n {2}axpy:9:\d+: error: unresolved value 'two'/);
    const error = (await failure.catch((e: unknown) => e)) as ChromiumRunError;
    expect(error.compilation?.map((m) => m.type)).toContain('error');
  });

  it('names a missing weight tensor', async () => {
    const weights = encodeSafetensors({ 'layer.bias': { dtype: 'f32', shape: [N], data: w } });
    await expect(runInChromium(job({ weights }))).rejects.toThrow(/weight tensor 'layer.weight' \(buffer 'w'\) is missing/);
  });

  it('turns a WebGPU validation error into a rejection naming the kernel', async () => {
    // The entry point does not use binding 3, so the 'auto' layout lacks it.
    const kernels = MANIFEST.kernels.map((k) => (k.name === 'axpy' ? { ...k, bindings: [...k.bindings, { binding: 3, buffer: 'ids' }] } : k));
    await expect(runInChromium(job({ manifest: { ...MANIFEST, kernels } }))).rejects.toThrow(/binding the buffers of kernel 'axpy'.*WebGPU validation error/s);
  });

  it('says what is wrong with an input in dtype and shape terms, checks a shape when given one, and narrows I64 ids that fit i32', async () => {
    const shaped = withShapes({ w: [N], x: [N], ids: [4, N / 4], y: [N], dropped: [N], kept: [N] });
    // A batch of 2 run in halves: the inputs are whole, so the model takes twice a half's elements.
    const halves = withShapes({ x: [1, N], ids: [1, N] }, { ...MANIFEST, batch: { size: 2, chunk: 1 } });
    const answers = (await withRuntimePage({}, async (page) =>
      page.evaluate(`(async () => {
        const rt = await import('./runtime.js');
        const shaders = ${JSON.stringify({ axpy: AXPY, prep: PREP, dropout: DROPOUT })};
        const weights = new Map([['layer.weight', { dtype: 'F32', shape: [${N}], data: new Float32Array(${N}) }]]);
        const { device } = await rt.openDevice(${JSON.stringify(shaped)});
        const make = (manifest) => rt.createModel(device, manifest, shaders, weights);
        const models = { shaped: await make(${JSON.stringify(shaped)}), plain: await make(${JSON.stringify(MANIFEST)}), halves: await make(${JSON.stringify(halves)}) };
        const x = new Float32Array(${N});
        const ids = Int32Array.from({ length: ${N} }, (_, i) => (i * 7919) % 30522);
        const wide = BigInt64Array.from(ids, (v) => BigInt(v));
        const tooWide = wide.slice();
        tooWide[7] = 2n ** 31n;
        const attempt = (model, inputs) => model.run({ inputs, seed: 5 }).then((out) => Array.from(out.dropped), (e) => e.message);
        return {
          i32: await attempt(models.shaped, { x, input_ids: ids }),
          i64: await attempt(models.shaped, { x, input_ids: wide }),
          short: await attempt(models.shaped, { x, input_ids: ids.subarray(2) }),
          shortI64: await attempt(models.shaped, { x, input_ids: wide.subarray(1) }),
          plainShort: await attempt(models.plain, { x, input_ids: ids.subarray(2) }),
          f64: await attempt(models.shaped, { x, input_ids: Float64Array.from(ids) }),
          i64AsF32: await attempt(models.shaped, { x: BigInt64Array.from(wide), input_ids: ids }),
          tooWide: await attempt(models.shaped, { x, input_ids: tooWide }),
          halfBatch: await attempt(models.halves, { x, input_ids: ids }),
          // With shapes, as parseSafetensors gives them (its dtype field is not read).
          shapedI32: await attempt(models.shaped, { x: { data: x, shape: [${N}] }, input_ids: { data: ids, shape: [4, ${N / 4}] } }),
          shapedI64: await attempt(models.shaped, { x, input_ids: { dtype: 'I64', shape: [4, ${N / 4}], data: wide } }),
          plainShaped: await attempt(models.plain, { x, input_ids: { data: ids, shape: [2, ${N / 2}] } }),
          transposed: await attempt(models.shaped, { x, input_ids: { data: ids, shape: [${N / 4}, 4] } }),
          transposedI64: await attempt(models.shaped, { x, input_ids: { data: wide, shape: [${N / 2}, 2] } }),
          shapeVsData: await attempt(models.shaped, { x, input_ids: { data: ids, shape: [4, 4] } }),
          badShape: await attempt(models.shaped, { x, input_ids: { data: ids, shape: [4, -250] } }),
          halfShape: await attempt(models.halves, { x: { data: x, shape: [1, ${N}] }, input_ids: ids }),
          wholeShape: await attempt(models.halves, { x: { data: new Float32Array(${2 * N}), shape: [2, ${N}] }, input_ids: { data: Int32Array.from({ length: ${2 * N} }, (_, i) => ids[i % ${N}]), shape: [2, ${N}] } }),
        };
      })()`),
    )) as Record<string, number[] | string>;
    expect(answers['i32']).toHaveLength(N);
    expect(answers['i64']).toEqual(answers['i32']);
    const tiny = 'model compiled from tiny.ir';
    expect(answers['short']).toBe(`${tiny}: input 'input_ids' has ${N - 2} i32 elements, the model takes ${N} (i32[4, ${N / 4}])`);
    expect(answers['shortI64']).toBe(`${tiny}: input 'input_ids' has ${N - 1} i64 elements, the model takes ${N} (i32[4, ${N / 4}])`);
    expect(answers['plainShort']).toBe(`${tiny}: input 'input_ids' has ${N - 2} i32 elements, the model takes ${N}`);
    expect(answers['f64']).toBe(`${tiny}: input 'input_ids' is a Float64Array, the model takes i32[4, ${N / 4}]: pass an Int32Array, or a BigInt64Array of values that fit i32`);
    expect(answers['i64AsF32']).toBe(`${tiny}: input 'x' is a BigInt64Array, the model takes f32[${N}]: pass a Float32Array`);
    expect(answers['tooWide']).toBe(`${tiny}: input 'input_ids' holds 2147483648 at element 7, which does not fit in i32`);
    expect(answers['halfBatch']).toBe(`${tiny}: input 'x' has ${N} f32 elements, the model takes ${2 * N} (f32[2, ${N}])`);
    expect(answers['shapedI32']).toEqual(answers['i32']);
    expect(answers['shapedI64']).toEqual(answers['i32']);
    // A manifest without shapes checks the element count only.
    expect(answers['plainShaped']).toEqual(answers['i32']);
    // The right number of elements in the wrong shape is refused.
    expect(answers['transposed']).toBe(`${tiny}: input 'input_ids' is i32[${N / 4}, 4], the model takes i32[4, ${N / 4}]`);
    expect(answers['transposedI64']).toBe(`${tiny}: input 'input_ids' is i64[${N / 2}, 2], the model takes i32[4, ${N / 4}]`);
    expect(answers['shapeVsData']).toBe(`${tiny}: input 'input_ids' is i32[4, 4], but its data has ${N} elements`);
    expect(answers['badShape']).toBe(`${tiny}: input 'input_ids' has shape [4,-250]; expected an array of non-negative integers`);
    // With a sliced batch the shape is the whole batch's.
    expect(answers['halfShape']).toBe(`${tiny}: input 'x' is f32[1, ${N}], the model takes f32[2, ${N}]`);
    expect(answers['wholeShape']).toHaveLength(2 * N);
  });

  it('reports a crashed GPU process as a lost device', async () => {
    const message = await withRuntimePage({}, async (page) => {
      // A model with one weight-free kernel, made before the crash and run after it.
      const manifest: Manifest = {
        ...MANIFEST,
        buffers: [{ name: 'y', bytes: 4 * N, kind: 'output', dtype: 'f32' }],
        kernels: [{ name: 'fill', shader: 'fill', entry: 'main', bindings: [{ binding: 0, buffer: 'y' }], dispatch: groups, once: false }],
      };
      const fill = '@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { if (id.x < arrayLength(&y)) { y[id.x] = 1.0; } }';
      await page.evaluate(`(async () => {
        const rt = await import('./runtime.js');
        const manifest = ${JSON.stringify(manifest)};
        const { device } = await rt.openDevice(manifest);
        window.model = await rt.createModel(device, manifest, { fill: ${JSON.stringify(fill)} }, new Map());
        await window.model.run({ inputs: {} });
      })()`);
      killGpuProcess();
      return page.evaluate('window.model.run({ inputs: {} }).then(() => "ran", (e) => e.message)');
    });
    expect(message).toMatch(/^model compiled from tiny\.ir: the WebGPU device was lost \(the GPU process crashed/);
  });
});

/** Kills Chromium's GPU process: the one whose ancestors include this test process, so never another's. */
function killGpuProcess(): void {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [, pid, ppid, args] = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
      return { pid: Number(pid), ppid: Number(ppid), args: args! };
    });
  const parent = new Map(ps.map((p) => [p.pid, p.ppid]));
  const ours = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const gpu = ps.filter((p) => p.args.includes('--type=gpu-process') && ours(p.pid));
  expect(gpu, 'one GPU process of our Chromium').toHaveLength(1);
  process.kill(gpu[0]!.pid, 'SIGKILL');
}
