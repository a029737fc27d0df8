import { SourceMapGenerator } from 'source-map';
import type { Accelerator, WebGpuLimits } from '../../src/accel/accelerator.js';
import type { Node } from '../../src/ir/node.js';
import { buildKernels, bytesOf } from '../../src/kernel/kernels.js';
import type { Module } from '../../src/kernel/module.js';
import { WgslRenderer } from './renderer.js';
import { wgslKernel } from './kernels.js';
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
export class LimitError extends Error {}

/** The WebGPU spec's default limits: what a shader may assume on any device without asking. */
export const SPEC_DEFAULT_LIMITS: WebGpuLimits = {
  max_workgroup_storage_bytes: 16384,
  max_invocations_per_workgroup: 256,
  max_workgroups_per_dimension: 65535,
  max_storage_buffers_per_stage: 8,
  max_storage_buffer_binding_bytes: 134217728,
};

/**
 * Generates one WGSL compute shader per kernel and the manifest that orders them. Every dispatch,
 * workgroup buffer, binding count and binding size is checked against the accelerator's WebGPU
 * limits (the spec's defaults when it has none); a plan that does not fit is an error, not a
 * shader that fails on a device.
 */
export function generateWgsl(m: Module, opts: { readonly source: string; readonly accel: Accelerator; readonly batchSliced?: boolean }): WgslFiles {
  const limits = opts.accel.webgpu ?? SPEC_DEFAULT_LIMITS;
  const kernels = buildKernels(m);
  const names = new Map<Node, string>();
  const buffers: ManifestBuffer[] = [];
  // A result that is a reshape of a buffer is that buffer (fold-movement keeps results contiguous).
  const underlying = (n: Node): Node => (m.partition.views.has(n) ? underlying(n.srcs[0]!) : n);
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
    if (n.type.dtype !== 'f32' && n.type.dtype !== 'i32') throw new Error(`the WGSL backend does not support ${n.type.dtype} tensors (${kind} ${source ?? name})`);
    const bytes = bytesOf(n);
    if (bytes > limits.max_storage_buffer_binding_bytes) {
      throw new LimitError(`${kind} ${source ?? name} needs ${bytes} bytes, over the ${limits.max_storage_buffer_binding_bytes}-byte binding limit`);
    }
    buffers.push({ name, bytes, kind, dtype: n.type.dtype, ...(source ? { source } : {}) });
    return name;
  };
  // Results first, so that the manifest lists them in the model's order.
  for (const o of m.graph.outputs) {
    const b = underlying(o.node);
    if (!kernels.some((k) => k.outputs.includes(b))) throw new Error(`result '${o.name}' is not computed by any kernel (a model input or weight as a result is not supported by the WGSL backend)`);
    bufferOf(b);
  }
  const shaders: Record<string, string> = {};
  const maps: Record<string, string> = {};
  const entries: ManifestKernel[] = [];
  for (const k of kernels) {
    const env = { r: new WgslRenderer(opts.batchSliced), views: m.partition.views, train: m.train, accel: opts.accel, schedules: m.schedules, maxWorkgroupsPerDimension: limits.max_workgroups_per_dimension, ptr: (n: Node) => `b${n.id}` };
    const w = wgslKernel(k, env);
    const storage = w.bindings.filter((b) => b !== 'params').length;
    if (storage > limits.max_storage_buffers_per_stage) throw new LimitError(`${k.name} binds ${storage} storage buffers, over the limit of ${limits.max_storage_buffers_per_stage}`);
    if (w.workgroupBytes > limits.max_workgroup_storage_bytes) throw new Error(`${k.name} needs ${w.workgroupBytes} bytes of workgroup storage, over ${limits.max_workgroup_storage_bytes}`);
    if (w.invocations > limits.max_invocations_per_workgroup) throw new Error(`${k.name} has ${w.invocations} invocations per workgroup, over ${limits.max_invocations_per_workgroup}`);
    if (w.dispatch.some((d) => d > limits.max_workgroups_per_dimension)) throw new LimitError(`${k.name} dispatches ${w.dispatch.join(' x ')} workgroups, over ${limits.max_workgroups_per_dimension} per dimension`);
    const file = `${k.name}.wgsl`;
    shaders[file] = w.code;
    const map = new SourceMapGenerator({ file });
    w.spans.forEach((span, i) => {
      if (span) map.addMapping({ generated: { line: i + 1, column: 0 }, original: { line: span.line, column: span.col - 1 }, source: opts.source });
    });
    maps[`${file}.map`] = `${map.toString()}\n`;
    entries.push({
      name: k.name,
      shader: file,
      entry: 'main',
      bindings: w.bindings.map((b, i) => ({ binding: i, buffer: b === 'params' ? 'params' : bufferOf(b) })),
      dispatch: w.dispatch as [number, number, number],
      once: k.init,
    });
  }
  for (const n of m.graph.inputs) bufferOf(n);
  const manifest: Manifest = {
    schema: 'bertc-webgpu/1',
    model: opts.source,
    limits: {
      maxComputeWorkgroupStorageSize: Math.max(0, ...entries.map((_, i) => wgslWorkgroupBytes(shaders[entries[i]!.shader]!))),
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

/** The workgroup storage a shader declares (sum of its `var<workgroup>` arrays of f32). */
function wgslWorkgroupBytes(code: string): number {
  return [...code.matchAll(/var<workgroup> \w+: array<f32, (\d+)>/g)].reduce((s, m) => s + 4 * Number(m[1]), 0);
}
