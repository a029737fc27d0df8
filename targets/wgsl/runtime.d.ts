/**
 * Types of targets/wgsl/runtime.js, the WebGPU runtime of compiled models, for TypeScript callers.
 * runtime.js takes its own JSDoc types from here, so this file is the one home of the manifest's
 * schema: the WGSL code generator should import `Manifest` from './runtime.js' too.
 */

/** What `bertc compile --target wgsl` writes as model.webgpu.json. */
export interface Manifest {
  schema: 'bertc-webgpu/1';
  /** The path of the source the model was compiled from (`models/bert.ir`); messages say `model compiled from models/bert.ir: ...`. */
  model: string;
  /**
   * WebGPU limit names -> the values the model needs. For `max*` limits the device must offer at
   * least the value, for `min*` limits (alignments) at most. requestDevice() asks for them.
   */
  limits: Record<string, number>;
  buffers: ManifestBuffer[];
  /** The one uniform buffer, bound under the buffer name 'params'. */
  uniform: { bytes: number; fields: Record<string, { offset: number; type: 'u32' }> };
  /**
   * The dispatches, in execution order. Kernels that compute the same share one shader (and one
   * pipeline) and differ in their bindings and dropout ids.
   */
  kernels: ManifestKernel[];
  /**
   * The forms the shaders hold each 16-bit float dtype of the buffers in, in order of preference;
   * absent when no buffer holds one. 'packed': two elements to a u32, converted in integer
   * arithmetic, for any device (every kernel's `shader`). 'native', f16 only: `array<f16>` behind
   * `enable f16;`, for a device with the 'shader-f16' feature (the kernels' `shaderF16`). bf16 is
   * always packed (WGSL has no bf16). Both forms round alike, so they give the same bits: createModel
   * takes native where the device has the feature, and requestDevice asks for it where the adapter
   * offers it.
   */
  forms?: { f16?: ('native' | 'packed')[]; bf16?: 'packed'[] };
  /**
   * Present when the shaders were compiled for a slice of the batch (a tensor of the whole batch
   * would not fit one binding): run() splits inputs along axis 0 into `size / chunk` slices, runs
   * each, and concatenates the outputs along axis 0.
   */
  batch?: { size: number; chunk: number };
}

export interface ManifestBuffer {
  name: string;
  bytes: number;
  kind: 'weight' | 'input' | 'output' | 'intermediate';
  /**
   * f16 and bf16 hold 2 bytes an element, element i in bytes 2i and 2i + 1 (little-endian), the
   * buffer rounded up to whole 4-byte words; the host gives and gets their bits as Uint16Array.
   */
  dtype: 'f32' | 'i32' | 'f16' | 'bf16';
  /**
   * The tensor's shape as the shaders hold it (one slice's when `batch` is set), so that messages
   * can speak of types rather than bytes; `bytes` is its elements' bytes rounded up to a multiple
   * of 4, or 4 when it has none. Optional: without it, run() checks sizes by element count only.
   */
  shape?: number[];
  /** The tensor name in the weights file (weights), or the input's or output's name; defaults to `name`. */
  source?: string;
}

export interface ManifestKernel {
  name: string;
  /** A key into the shaders map. */
  shader: string;
  /** The shader in the native f16 form (Manifest.forms), for a shader that binds an f16 buffer. */
  shaderF16?: string;
  /** The `@compute` function's name. */
  entry: string;
  /** All in @group(0); `buffer` is a buffer name or 'params'. */
  bindings: { binding: number; buffer: string }[];
  /** Workgroup counts for dispatchWorkgroups. */
  dispatch: [number, number, number];
  /** Run once after the weights are uploaded (weight transforms), not in run(). */
  once: boolean;
  /**
   * The dropout ids (docs/dropout-rng.md) this dispatch's shader draws from, by slot: a shader
   * serves every kernel that computes the same, so the ids are per dispatch. With them, the
   * dispatch's 'params' binding is a uniform of its own: the `uniform` fields (seed, slice) first,
   * then the ids as u32s from byte `uniform.bytes` rounded up to 16 (a WGSL
   * `array<vec4<u32>, N>`), four to 16 bytes. Without them, 'params' is the one shared uniform.
   */
  dropout?: number[];
}

/** A tensor as parseSafetensors returns it (F16 and BF16 as their bits); createModel takes F32, I32, F16 and BF16 ones as weights. */
export type HostTensor =
  | { dtype: 'F32'; shape: number[]; data: Float32Array }
  | { dtype: 'F16' | 'BF16'; shape: number[]; data: Uint16Array }
  | { dtype: 'I32'; shape: number[]; data: Int32Array }
  | { dtype: 'I64'; shape: number[]; data: BigInt64Array };

/** What a model's outputs and buffers read back as: f16 and bf16 as their bits. */
export type OutputData = Float32Array | Int32Array | Uint16Array;

export interface CompilationMessage {
  /** The key in the shaders map. */
  shader: string;
  type: 'error' | 'warning' | 'info';
  message: string;
  lineNum: number;
  linePos: number;
}

/**
 * An input's elements: Float32Array for f32 inputs; Uint16Array of their bits for f16 and bf16 ones;
 * Int32Array for i32 ones, or BigInt64Array (I64 ids), whose values must fit i32.
 */
export type InputData = Int32Array | Float32Array | Uint16Array | BigInt64Array;

/**
 * An input with its shape, as parseSafetensors returns it (its `dtype` is not read: the data's type
 * says it). The shape must equal the model's (the whole batch's when the batch runs in slices), and
 * its elements the data's length.
 */
export interface InputTensor {
  data: InputData;
  shape: readonly number[];
}

export interface RunOptions {
  /**
   * Keyed by each input buffer's `source` (or name): the data alone, checked by element count, or
   * the data with its shape, checked by shape. With a sliced batch (`batch`), each input is the
   * whole batch.
   */
  inputs: Record<string, InputData | InputTensor>;
  /** Written to the uniform field 'seed' as a u32; defaults to 0. */
  seed?: number;
}

export interface Model {
  readonly manifest: Manifest;
  /** Every message of every shader module, warnings and infos included; errors make createModel fail. */
  readonly compilationMessages: CompilationMessage[];
  /** The form each 16-bit float dtype of the buffers runs in on this device (Manifest.forms). */
  readonly forms: { f16?: 'native' | 'packed'; bf16?: 'packed' };
  /**
   * Runs the model once, keyed by each output buffer's `source` (or name): Float32Array for f32
   * outputs, Int32Array for i32 ones. Outputs and intermediates start each run as zeros; calls are
   * queued, never interleaved.
   */
  run(options: RunOptions): Promise<Record<string, OutputData>>;
  /**
   * One training step (a model compiled with `--step`): run(), then every output whose tensor is
   * named after a weight (the weight's next value, or an optimizer moment's) is copied over that
   * weight on the device, and the weight transforms run again. Resolves to the run's outputs, or to
   * those named in `read` (a step whose weights stay on the device need not read them back).
   */
  step(options: RunOptions & { read?: string[] }): Promise<Record<string, OutputData>>;
  /**
   * run(), with each dispatch in a compute pass of its own that writes GPU timestamps: the outputs,
   * and each run dispatch's kernel with its GPU time in ms (summed over batch slices), in dispatch
   * order. Rejects on a device without the 'timestamp-query' feature (requestDevice takes it
   * wherever the adapter offers it). Browsers may coarsen timestamps unless their WebGPU developer
   * features are on.
   */
  profile(options: RunOptions): Promise<{ outputs: Record<string, OutputData>; dispatches: { kernel: string; ms: number }[] }>;
  /** A copy of any buffer's current contents (for debugging intermediates). */
  read(buffer: string): Promise<OutputData>;
  /** Frees the model's buffers; the device is the caller's and stays alive. */
  destroy(): void;
}

export declare const SCHEMA: 'bertc-webgpu/1';

/** F32, I32 and I64 tensors of a safetensors file; other dtypes and malformed files are errors. */
export declare function parseSafetensors(bytes: ArrayBuffer | ArrayBufferView): Map<string, HostTensor>;

/**
 * Checks `manifest.limits` against the adapter and requests a device with them, failing with a
 * message that names the limit when the adapter cannot offer it; and with the 'shader-f16' feature
 * where the manifest has native f16 shaders and the adapter offers it.
 */
export declare function requestDevice(adapter: GPUAdapter, manifest: Manifest): Promise<GPUDevice>;

/**
 * navigator.gpu -> adapter -> requestDevice(adapter, manifest); fails with "WebGPU is not available
 * in this browser: ..." when there is no navigator.gpu or no adapter.
 */
export declare function openDevice(manifest: Manifest, gpu?: GPU): Promise<{ adapter: GPUAdapter; device: GPUDevice }>;

/**
 * The form each 16-bit float dtype of the manifest's buffers runs in on a device with these
 * features: native f16 where the manifest has it and the device has 'shader-f16', else packed.
 */
export declare function formsFor(manifest: Manifest, features: { has(feature: string): boolean }): Model['forms'];

/** Uploads the weights, compiles the shaders, creates the pipelines and runs the `once` kernels. */
export declare function createModel(
  device: GPUDevice,
  manifest: Manifest,
  shaders: Record<string, string>,
  weights: ReadonlyMap<string, HostTensor>,
): Promise<Model>;
