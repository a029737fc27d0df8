import { SourceMapGenerator } from 'source-map';
import type { Accelerator } from '../../src/accel/accelerator.js';
import { WEBGPU_SPEC_DEFAULTS } from '../../src/accel/presets.js';
import { Node } from '../../src/ir/node.js';
import { buildKernels } from '../../src/kernel/kernels.js';
import type { Module } from '../../src/kernel/module.js';
import { WgslRenderer, type F16Form } from './renderer.js';
import { copyKernel, kernelSpan, LimitError, wgslKernel, type Binding, type Scratch, type WgslKernel } from './kernels.js';
import { dropoutOps, kernelClasses, kernelParams, type KernelClass } from '../../src/kernel/signature.js';
import type { Kernel } from '../../src/kernel/kernels.js';
import type { Span } from '../../src/diag/span.js';
import { resultCopies } from '../common/elementValues.js';
import { checkTarget } from '../common/unsupported.js';
import { numel } from '../../src/ir/shape.js';
import { isHalfFloat, type DType } from '../../src/ir/dtype.js';
import type { Manifest, ManifestBuffer, ManifestKernel } from './runtime.js';

export type { Manifest };

export interface WgslFiles {
  readonly manifest: Manifest;
  /** Shader file name (`k3_gemm_bias.wgsl`) -> code. */
  readonly shaders: Readonly<Record<string, string>>;
  /** One Source Map v3 per shader, to the IR. */
  readonly maps: Readonly<Record<string, string>>;
  /** Each model result -> the output buffer's `source` it is read from (two results may share one). */
  readonly results: Readonly<Record<string, string>>;
}

/** A plan that does not fit the device's WebGPU limits (the driver may then run the batch in slices). */
export { LimitError };

/**
 * Generates one WGSL compute shader per kernel and the manifest that orders them. Every dispatch,
 * workgroup buffer, binding count and binding size is checked against the accelerator's WebGPU
 * limits (the spec's defaults when it has none); a plan that does not fit is an error, not a
 * shader that fails on a device.
 *
 * 16-bit floats are packed two to a u32 in every shader (any device can run them); a shader that
 * binds an f16 buffer comes in a second form too, with `array<f16>` (`<name>.f16.wgsl`, the
 * kernel's `shaderF16`), which runtime.js uses on a device with shader-f16. The manifest's `forms`
 * says which forms there are.
 */
export function generateWgsl(m: Module, opts: { readonly source: string; readonly accel: Accelerator; readonly batchSliced?: boolean }): WgslFiles {
  checkTarget(m, 'wgsl');
  const limits = opts.accel.webgpu ?? WEBGPU_SPEC_DEFAULTS;
  // A multi-tensor kernel runs as a dispatch per segment: a shader binds each segment's buffers, and
  // fuse-multi-tensor merges no more segments than the storage-buffer limit lets one shader bind.
  const kernels = buildKernels(m).flatMap((k) => k.segments ?? [k]);
  /** The dtype table buffers are declared with (the shaders' renderers spell the same). */
  const spelling = new WgslRenderer(opts.batchSliced);
  const names = new Map<Node, string>();
  const buffers: ManifestBuffer[] = [];
  // A result that is a contiguous view of a buffer a kernel writes is that buffer; any other result
  // that no kernel writes (a model input, a weight, an iota, a strided view) gets a copy kernel.
  const written = new Set(kernels.flatMap((k) => k.outputs));
  const copies = resultCopies(m.graph.outputs.map((o) => o.node), written, m.partition.views).filter((c) => !(c.contiguous && written.has(c.buffer!)));
  const copied = new Set(copies.map((c) => c.result));
  const underlying = (n: Node): Node => (copied.has(n) || !m.partition.views.has(n) ? n : underlying(n.srcs[0]!));
  const resultOf = new Map<Node, string>();
  for (const o of m.graph.outputs) if (!resultOf.has(underlying(o.node))) resultOf.set(underlying(o.node), o.name);
  const bufferOf = (n: Node): string => {
    let name = names.get(n);
    if (name) return name;
    name = `b${n.id}`;
    names.set(n, name);
    const out = resultOf.get(n);
    const kind = n.op === 'param' ? 'weight' : n.op === 'input' ? 'input' : out ? 'output' : 'intermediate';
    const source = n.op === 'param' || n.op === 'input' ? n.attr<string>('name') : out;
    return declareBuffer(name, n, kind, source);
  };
  const declareBuffer = (name: string, n: Node, kind: ManifestBuffer['kind'], source: string | undefined): string => {
    // The size of the buffer as the shaders hold it (bools as i32, 16-bit floats in whole u32 words).
    const d = n.type.dtype;
    const bytes = Math.ceil((numel(n.type.shape) * spelling.storageBytes(d)) / 4) * 4;
    if (bytes > limits.max_storage_buffer_binding_bytes) {
      throw new LimitError(`${kind} ${source ?? name} needs ${bytes} bytes, over the ${limits.max_storage_buffer_binding_bytes}-byte binding limit`);
    }
    const dtype = (isHalfFloat(d) ? d : spelling.storageType(d)) as ManifestBuffer['dtype'];
    buffers.push({ name, bytes: Math.max(4, bytes), kind, dtype, shape: [...n.type.shape], ...(source ? { source } : {}) });
    return name;
  };
  /** The f32 scratch buffer of each shader that has one, shared by its dispatches. */
  const scratchOf = new Map<string, string>();
  const scratchBuffer = (file: string, b: Scratch): string => {
    let name = scratchOf.get(file);
    if (name) return name;
    name = `s${scratchOf.size}`;
    scratchOf.set(file, name);
    const bytes = 4 * b.scratch;
    if (bytes > limits.max_storage_buffer_binding_bytes) {
      throw new LimitError(`the scratch buffer of ${file} needs ${bytes} bytes, over the ${limits.max_storage_buffer_binding_bytes}-byte binding limit`);
    }
    buffers.push({ name, bytes: Math.max(4, bytes), kind: 'intermediate', dtype: 'f32', shape: [b.scratch] });
    return name;
  };
  // Results first, so that the manifest lists them in the model's order. A copy's result is a
  // buffer of its own, even when the result is a model input or a weight.
  const copyBuffer = new Map<Node, string>();
  for (const o of m.graph.outputs) {
    const b = underlying(o.node);
    if (!copied.has(b)) bufferOf(b);
    else if (!copyBuffer.has(b)) copyBuffer.set(b, declareBuffer(`r${copyBuffer.size}`, b, 'output', resultOf.get(b)));
  }
  const shaders: Record<string, string> = {};
  const workgroupBytes = new Map<string, number>();
  const maps: Record<string, string> = {};
  const entries: ManifestKernel[] = [];
  const env = (r: WgslRenderer) => ({
    r,
    views: m.partition.views,
    train: m.train,
    accel: opts.accel,
    schedules: m.schedules,
    maxWorkgroupsPerDimension: limits.max_workgroups_per_dimension,
    maxWorkgroupStorageBytes: limits.max_workgroup_storage_bytes,
  });
  /** Writes a shader and its source map, once its resource use is checked against the limits. */
  const addShader = (w: WgslKernel, span: Span | undefined): string => {
    const over = (what: string, sliceable = false) => new LimitError(`kernel '${w.name}' ${what}`, span, sliceable);
    const storage = w.bindings.filter((b) => b !== 'params').length;
    if (storage > limits.max_storage_buffers_per_stage) throw over(`binds ${storage} storage buffers, over the limit of ${limits.max_storage_buffers_per_stage} per shader stage`);
    if (w.workgroupBytes > limits.max_workgroup_storage_bytes) throw over(`needs ${w.workgroupBytes} bytes of workgroup storage, over the limit of ${limits.max_workgroup_storage_bytes}`);
    if (w.invocations > limits.max_invocations_per_workgroup) throw over(`has ${w.invocations} invocations per workgroup, over the limit of ${limits.max_invocations_per_workgroup}`);
    if (w.dispatch.some((d) => d > limits.max_workgroups_per_dimension)) throw over(`dispatches ${w.dispatch.join(' x ')} workgroups, over ${limits.max_workgroups_per_dimension} per dimension`, true);
    const file = `${w.name}.wgsl`;
    shaders[file] = w.code;
    workgroupBytes.set(file, w.workgroupBytes);
    const map = new SourceMapGenerator({ file });
    w.spans.forEach((at, i) => {
      if (at) map.addMapping({ generated: { line: i + 1, column: 0 }, original: { line: at.line, column: at.col - 1 }, source: opts.source });
    });
    maps[`${file}.map`] = `${map.toString()}\n`;
    return file;
  };
  const buffer = (b: Binding, file: string) => (b === 'params' ? 'params' : 'scratch' in b ? scratchBuffer(file, b) : 'result' in b ? b.result : bufferOf(b));
  /** Whether a shader binds an f16 buffer, and so comes in the native form too. */
  const holdsF16 = (w: WgslKernel) => w.bindings.some((b) => b !== 'params' && !('result' in b) && b.type.dtype === 'f16');
  /**
   * Shader `w` in the native f16 form, made by `make` with a renderer of that form, when `w` binds
   * an f16 buffer: the same bindings and dispatch, so that a kernel's entry serves both.
   */
  const nativeF16 = (w: WgslKernel, file: string, span: Span | undefined, make: (r: WgslRenderer) => WgslKernel): { shaderF16: string } | Record<string, never> => {
    if (!holdsF16(w)) return {};
    const native = make(new WgslRenderer(opts.batchSliced, 'native'));
    // Nodes by id: spelled out, a node is its whole graph.
    const key = (x: WgslKernel) => JSON.stringify([x.bindings.map((b) => (b instanceof Node ? b.id : b)), x.dispatch]);
    if (key(native) !== key(w)) throw new Error(`internal: the native f16 form of ${file} binds or dispatches otherwise`);
    return { shaderF16: addShader({ ...native, name: `${w.name}.f16` }, span) };
  };
  /** One dispatch of shader `w` for kernel `k`: its own buffers at the shader's positions, and its dropout ids. */
  const dispatch = (w: WgslKernel, file: string, k: Kernel | undefined, representative: Kernel | undefined, variant: { shaderF16?: string }) => {
    const own = k && representative ? new Map(kernelParams(representative).map((n, i) => [n, kernelParams(k)[i]!])) : undefined;
    const bound = (b: Binding) => (own && b !== 'params' && !('result' in b) ? own.get(b)! : b);
    const dropout = k && w.dropouts ? { dropout: dropoutOps(k).slice(0, w.dropouts).map((n) => n.attr<number>('id')) } : {};
    entries.push({
      name: k?.name ?? w.name,
      shader: file,
      ...variant,
      entry: 'main',
      bindings: w.bindings.map((b, i) => ({ binding: i, buffer: buffer(bound(b), file) })),
      dispatch: w.dispatch as [number, number, number],
      once: k?.init ?? false,
      ...dropout,
    });
  };
  // One shader per kernel class: the encoder layers' kernels are dispatches of the first layer's.
  const { classOf } = kernelClasses(kernels, m);
  const files = new Map<KernelClass, { w: WgslKernel; file: string; variant: { shaderF16?: string } }>();
  for (const k of kernels) {
    const c = classOf.get(k)!;
    let shader = files.get(c);
    if (!shader) {
      const make = (r: WgslRenderer) => wgslKernel(c.representative, env(r), c.instances);
      const w = make(new WgslRenderer(opts.batchSliced));
      const span = kernelSpan(c.representative);
      const file = addShader(w, span);
      shader = { w, file, variant: nativeF16(w, file, span, make) };
      files.set(c, shader);
    }
    dispatch(shader.w, shader.file, k, c.representative, shader.variant);
  }
  copies.forEach((c, i) => {
    const make = (r: WgslRenderer) => copyKernel(c, `k${kernels.length + i}_copy_${resultOf.get(c.result)}`, copyBuffer.get(c.result)!, { ...env(r), ptr: (n: Node) => `b${n.id}` });
    const w = make(new WgslRenderer(opts.batchSliced));
    const file = addShader(w, c.result.meta.span);
    dispatch(w, file, undefined, undefined, nativeF16(w, file, c.result.meta.span, make));
  });
  for (const n of m.graph.inputs) bufferOf(n);
  const halves = new Set(buffers.flatMap((b) => (isHalfFloat(b.dtype as DType) ? [b.dtype as 'f16' | 'bf16'] : [])));
  const f16Forms: F16Form[] = entries.some((e) => e.shaderF16) ? ['native', 'packed'] : ['packed'];
  const forms = halves.size ? { forms: { ...(halves.has('f16') ? { f16: f16Forms } : {}), ...(halves.has('bf16') ? { bf16: ['packed' as const] } : {}) } } : {};
  const manifest: Manifest = {
    schema: 'bertc-webgpu/1',
    model: opts.source,
    ...forms,
    limits: {
      maxComputeWorkgroupStorageSize: Math.max(0, ...entries.map((e) => workgroupBytes.get(e.shader)!)),
      maxStorageBuffersPerShaderStage: Math.max(1, ...entries.map((e) => e.bindings.filter((b) => b.buffer !== 'params').length)),
      maxStorageBufferBindingSize: Math.max(4, ...buffers.map((b) => b.bytes)),
      maxComputeWorkgroupsPerDimension: Math.max(1, ...entries.flatMap((e) => e.dispatch)),
    },
    buffers,
    uniform: { bytes: 16, fields: { seed: { offset: 0, type: 'u32' }, ...(opts.batchSliced ? { slice: { offset: 4, type: 'u32' as const } } : {}) } },
    kernels: entries,
  };
  const results = Object.fromEntries(m.graph.outputs.map((o) => [o.name, resultOf.get(underlying(o.node))!]));
  return { manifest, shaders, maps, results };
}
