// @ts-check
/**
 * The runtime of bertc's WebGPU target: runs a compiled model's manifest (schema bertc-webgpu/1,
 * see runtime.d.ts) on any GPUDevice.
 *
 * A plain ES module with no Node APIs that imports only safetensors-layout.js (the safetensors
 * layout rules it shares with bertc, src/io/safetensorsLayout.js): `bertc compile --target wgsl`
 * writes both next to the model for a browser page, and Node loads it too (parseSafetensors; createModel with a
 * WebGPU binding). Every WebGPU error is turned into a rejected promise that names what failed:
 * validation, out-of-memory and internal errors through error scopes, a lost device through
 * `device.lost`, and anything uncaptured through the 'uncapturederror' event.
 */

/** @typedef {import('./runtime.js').Manifest} Manifest */
/** @typedef {import('./runtime.js').ManifestBuffer} ManifestBuffer */
/** @typedef {import('./runtime.js').ManifestKernel} ManifestKernel */
/** @typedef {import('./runtime.js').HostTensor} HostTensor */
/** @typedef {import('./runtime.js').CompilationMessage} CompilationMessage */
/** @typedef {import('./runtime.js').RunOptions} RunOptions */
/** @typedef {import('./runtime.js').InputData} InputData */
/** @typedef {import('./runtime.js').InputTensor} InputTensor */
/** @typedef {import('./runtime.js').Model} Model */

import { entryProblem, firstDuplicateKey, ITEM_BYTES, layoutProblem, MAX_HEADER_BYTES, readHeaderLength } from './safetensors-layout.js';

export const SCHEMA = 'bertc-webgpu/1';

// The values are fixed by the WebGPU spec. They are not read from the GPUBufferUsage and GPUMapMode
// globals because a Node binding need not install those.
const USAGE = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128, QUERY_RESOLVE: 512 };
const MAP_READ = 1;

/**
 * The errors this runtime raises, which say what failed in the model's terms. A step that fails
 * with anything else (a DOMException, a GPUPipelineError) gets the step's name added.
 */
class ModelError extends Error {}

/**
 * How messages name the model: `manifest.model` is the path of the source it was compiled from
 * (`models/bert.ir`), not a name.
 * @param {Manifest} m
 */
const modelName = (m) => `model compiled from ${m.model}`;

// ---------------------------------------------------------------------------------------------
// safetensors

/**
 * Reads F32, F16, BF16, I32 and I64 tensors: an 8-byte little-endian header length, a JSON header,
 * then the data. F16 and BF16 come as their bits (Uint16Array), which is how the buffers of those
 * dtypes take them. I64 is for token ids as Hugging Face writes them; run() narrows them to the model's i32.
 * Tensors are views of `bytes` where their data is aligned to its element size (no copy of a large
 * weights file), copies otherwise. Typed arrays use the platform's byte order, which is
 * little-endian on every platform WebGPU runs on.
 *
 * The checks are bertc's own reader's (src/io/safetensorsFormat.ts): both take them from
 * safetensors-layout.js and word what they find, these messages about bytes rather than a file.
 * @param {ArrayBuffer | ArrayBufferView} bytes
 * @returns {Map<string, HostTensor>}
 */
export function parseSafetensors(bytes) {
  // A SharedArrayBuffer would do as well; the cast only keeps TypeScript's typed-array overloads simple.
  const buf = /** @type {ArrayBuffer} */ (bytes instanceof ArrayBuffer ? bytes : bytes.buffer);
  const base = bytes instanceof ArrayBuffer ? 0 : bytes.byteOffset;
  const size = bytes.byteLength;
  const fail = (/** @type {string} */ msg) => new ModelError(`safetensors: ${msg}`);
  const h = readHeaderLength(new DataView(buf, base, size));
  if (h.problem === 'short') throw fail(`file is truncated: expected at least 8 bytes (the header length), found ${size}`);
  if (h.problem === 'over-limit') throw fail(`not a safetensors file: its header length is ${h.length} bytes, more than the format's ${MAX_HEADER_BYTES}`);
  if (h.problem === 'truncated') throw fail(`file is truncated: expected at least ${8n + h.length} bytes (8 + a header of ${h.length}), found ${size}`);
  const headerLen = h.length;
  /** @type {unknown} */
  let header;
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(buf, base + 8, headerLen));
    header = JSON.parse(text);
  } catch (e) {
    throw fail(`invalid JSON header: ${/** @type {Error} */ (e).message.replace(/\s+/g, ' ')}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('invalid header: expected a JSON object');
  const dup = firstDuplicateKey(text);
  if (dup) {
    throw fail(dup.parent === undefined
      ? `tensor '${dup.key}' appears twice in the header; the format forbids duplicate names`
      : `tensor '${dup.parent}' has an invalid header entry: key '${dup.key}' appears twice`);
  }
  const dataStart = 8 + headerLen;
  /** @type {{ name: string, dtype: HostTensor['dtype'], shape: number[], begin: number, end: number }[]} */
  const entries = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry ?? {};
    if (!Object.hasOwn(HOST_ARRAYS, dtype)) {
      throw fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; this runtime reads only ${Object.keys(HOST_ARRAYS).join(', ')}`);
    }
    const p = entryProblem(shape, offsets, ITEM_BYTES[/** @type {HostTensor['dtype']} */ (dtype)]);
    if (p?.problem === 'shape') throw fail(`tensor '${name}': shape must be an array of non-negative integers`);
    if (p?.problem === 'offsets' || p?.problem === 'reversed') throw fail(`tensor '${name}': data_offsets must be two non-negative integers [begin, end]`);
    if (p?.problem === 'size') throw fail(`tensor '${name}' has ${p.end - p.begin} bytes of data, expected ${p.expected} for ${dtype} [${shape.join(', ')}]`);
    const [begin, end] = /** @type {[number, number]} */ (offsets);
    entries.push({ name, dtype, shape, begin, end });
  }
  const problem = layoutProblem(entries, size - dataStart);
  if (problem) throw fail(layoutMessage(problem, dataStart, size));
  /** @type {Map<string, HostTensor>} */
  const out = new Map();
  for (const { name, dtype, shape, begin, end } of entries) {
    const at = base + dataStart + begin;
    const item = ITEM_BYTES[dtype];
    const n = (end - begin) / item;
    const Ctor = HOST_ARRAYS[dtype];
    const data = at % item === 0 ? new Ctor(buf, at, n) : new Ctor(buf.slice(at, at + item * n));
    out.set(name, /** @type {HostTensor} */ ({ dtype, shape: [...shape], data }));
  }
  return out;
}

/** The typed array of each safetensors dtype this runtime reads: F16 and BF16 as their bits. */
const HOST_ARRAYS = { F32: Float32Array, F16: Uint16Array, BF16: Uint16Array, I32: Int32Array, I64: BigInt64Array };

/**
 * @param {import('./safetensors-layout.js').LayoutProblem<{ name: string, begin: number, end: number }>} p
 * @param {number} dataStart @param {number} size the file's
 */
function layoutMessage(p, dataStart, size) {
  const at = (/** @type {{ begin: number, end: number }} */ e) => `[${e.begin}, ${e.end}]`;
  if (p.problem === 'overlap') return `tensor '${p.tensor.name}' has data_offsets ${at(p.tensor)}, overlapping tensor '${p.previous.name}' ${at(p.previous)}`;
  if (p.problem === 'gap') {
    const after = p.previous ? `after tensor '${p.previous.name}'` : 'before the first tensor';
    return `tensor '${p.tensor.name}' has data_offsets ${at(p.tensor)}, leaving bytes ${p.from} to ${p.tensor.begin} ${after} unused`;
  }
  if (p.problem === 'past-end') return `file is truncated: tensor '${p.last.name}' ends at byte ${dataStart + p.end}, the file has ${size}`;
  return `the file has ${p.bytes} bytes after ${p.last ? `tensor '${p.last.name}'` : 'the header, which declares no tensor'}, which no tensor's data_offsets cover`;
}

// ---------------------------------------------------------------------------------------------
// Devices

/**
 * `min*` limits are alignments, where smaller is better; every other limit is a maximum.
 * @param {string} name @param {number} have @param {number} want
 */
function limitMet(name, have, want) {
  return name.startsWith('min') ? have <= want : have >= want;
}

/**
 * @param {GPUSupportedLimits} limits
 * @returns {Record<string, number | undefined>}
 */
function limitRecord(limits) {
  // The limits are getters on the prototype, so index the object itself rather than copying it.
  return /** @type {Record<string, number | undefined>} */ (/** @type {unknown} */ (limits));
}

/**
 * @param {GPUAdapter} adapter
 * @param {Manifest} manifest
 * @returns {Promise<GPUDevice>}
 */
export async function requestDevice(adapter, manifest) {
  const offered = limitRecord(adapter.limits);
  // Native f16 shaders need the feature; without it the packed ones run (formsFor).
  /** @type {GPUFeatureName[]} */
  const requiredFeatures = formsFor(manifest, adapter.features).f16 === 'native' ? ['shader-f16'] : [];
  // Taken where offered, so that Model.profile can time each dispatch; runs never need it.
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  /** @type {Record<string, number>} */
  const requiredLimits = {};
  for (const [name, want] of Object.entries(manifest.limits ?? {})) {
    const have = offered[name];
    if (typeof have !== 'number') throw new ModelError(`${modelName(manifest)} needs the WebGPU limit ${name}, which this adapter does not know`);
    if (!limitMet(name, have, want)) throw new ModelError(`${modelName(manifest)} needs the WebGPU limit ${name} = ${want}, but this adapter offers only ${have}`);
    requiredLimits[name] = want;
  }
  return adapter.requestDevice({ label: manifest.model, requiredLimits, ...(requiredFeatures.length ? { requiredFeatures } : {}) });
}

/**
 * @param {Manifest} manifest
 * @param {GPU | undefined} [gpu]
 * @returns {Promise<{ adapter: GPUAdapter; device: GPUDevice }>}
 */
export async function openDevice(manifest, gpu = globalThis.navigator?.gpu) {
  const why = 'WebGPU is not available in this browser';
  if (!gpu) {
    throw new ModelError(`${why}: navigator.gpu is undefined (WebGPU needs a secure context, such as a page from http://127.0.0.1 or https, and a browser with WebGPU enabled)`);
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new ModelError(`${why}: requestAdapter() found no adapter (no usable GPU or driver; on Chromium without a GPU, try --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader)`);
  return { adapter, device: await requestDevice(adapter, manifest) };
}

/**
 * Turns every way a device can fail into a rejection: each step of createModel, run and read
 * races against the device being lost and brackets its WebGPU calls with error scopes; an error
 * that escapes every scope (made by other code on the same device) fails the next step and every
 * one after it, rather than vanish.
 */
class DeviceGuard {
  /** @param {GPUDevice} device @param {string} model */
  constructor(device, model) {
    this.device = device;
    this.model = model;
    /** @type {Error | null} */
    this.uncaptured = null;
    this.onUncaptured = (/** @type {GPUUncapturedErrorEvent} */ ev) => {
      this.uncaptured ??= new ModelError(`${model}: uncaptured WebGPU ${errorKind(ev.error)}: ${ev.error.message}`);
    };
    device.addEventListener('uncapturederror', this.onUncaptured);
    /** @type {Error | null} */
    this.lostError = null;
    /** Rejects once the device is lost; a no-op catch keeps it from being an unhandled rejection. */
    this.lost = device.lost.then((info) => {
      // Reason 'unknown' is what a crashed GPU process (or driver reset) looks like; say so.
      const why = info.reason === 'destroyed' ? 'destroyed' : 'the GPU process crashed or the driver was reset';
      this.lostError = new ModelError(`${model}: the WebGPU device was lost (${why}): ${info.message || 'no message'}`);
      throw this.lostError;
    });
    this.lost.catch(() => {});
  }

  check() {
    if (this.lostError) throw this.lostError;
    if (this.uncaptured) throw this.uncaptured;
  }

  /**
   * @template T
   * @param {Promise<T>} p
   * @returns {Promise<T>}
   */
  race(p) {
    return Promise.race([p, this.lost]);
  }

  /**
   * Runs `fn` inside validation, out-of-memory and internal error scopes and fails with the first
   * error they caught, which explains more than a rejection it caused (a failed mapAsync says only
   * that it was aborted).
   * @template T
   * @param {string} what
   * @param {() => Promise<T> | T} fn
   * @returns {Promise<T>}
   */
  async scoped(what, fn) {
    this.check();
    const d = this.device;
    d.pushErrorScope('internal');
    d.pushErrorScope('out-of-memory');
    d.pushErrorScope('validation');
    /** @type {{ value: T } | { error: unknown }} */
    let result;
    try {
      result = { value: await this.race(Promise.resolve(fn())) };
    } catch (error) {
      result = { error };
    }
    if (this.lostError) throw this.lostError;
    // Always pop all three so that the scope stack stays balanced for the next step.
    const caught = [];
    for (let i = 0; i < 3; i++) caught.push(await this.race(d.popErrorScope()));
    const first = caught.find((e) => e !== null);
    if (first) throw new ModelError(`${this.model}: ${what}: WebGPU ${errorKind(first)}: ${first.message}`);
    if ('error' in result) {
      const e = result.error;
      throw e instanceof ModelError ? e : new ModelError(`${this.model}: ${what}: ${/** @type {Error} */ (e)?.message ?? e}`);
    }
    this.check();
    return result.value;
  }

  dispose() {
    this.device.removeEventListener('uncapturederror', this.onUncaptured);
  }
}

/** @param {GPUError} e */
function errorKind(e) {
  const kind = e.constructor?.name;
  if (kind === 'GPUValidationError') return 'validation error';
  if (kind === 'GPUOutOfMemoryError') return 'out-of-memory error';
  if (kind === 'GPUInternalError') return 'internal error';
  return 'error';
}

// ---------------------------------------------------------------------------------------------
// Models

/**
 * Catches manifest mistakes before WebGPU does, with messages in the manifest's own terms.
 * @param {Manifest} m
 * @param {Record<string, string>} shaders
 * @param {GPUDevice} device
 */
function checkManifest(m, shaders, device) {
  const bad = (/** @type {string} */ msg) => new ModelError(`manifest of the ${typeof m?.model === 'string' ? modelName(m) : 'model'}: ${msg}`);
  if (m?.schema !== SCHEMA) throw bad(`schema is ${JSON.stringify(m?.schema)}, this runtime reads ${SCHEMA}`);
  const names = new Set(['params']);
  for (const b of m.buffers) {
    if (names.has(b.name)) throw bad(`buffer name '${b.name}' is used twice (or is the reserved 'params')`);
    names.add(b.name);
    if (!Object.hasOwn(ELEMENTS, b.dtype)) throw bad(`buffer '${b.name}' has dtype ${JSON.stringify(b.dtype)}; ${Object.keys(ELEMENTS).join(', ')} only (store bools as i32)`);
    if (!Number.isSafeInteger(b.bytes) || b.bytes <= 0 || b.bytes % 4 !== 0) throw bad(`buffer '${b.name}' has ${b.bytes} bytes; expected a positive multiple of 4`);
    if (b.shape !== undefined) {
      if (!Array.isArray(b.shape) || !b.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`buffer '${b.name}' has shape ${JSON.stringify(b.shape)}; expected an array of non-negative integers`);
      // An empty tensor still gets a 4-byte buffer: WebGPU has no empty bindings; 16-bit elements fill whole words.
      const bytes = Math.max(4, Math.ceil((elementOf(b).bytes * numel(b.shape)) / 4) * 4);
      if (bytes !== b.bytes) throw bad(`buffer '${b.name}' is ${typeName(b)}, which takes ${bytes} bytes, but has ${b.bytes}`);
    }
  }
  const halves = new Set(m.buffers.filter((b) => b.dtype === 'f16' || b.dtype === 'bf16').map((b) => b.dtype));
  for (const d of /** @type {const} */ (['f16', 'bf16'])) {
    const forms = m.forms?.[d];
    const allowed = d === 'f16' ? ['native', 'packed'] : ['packed'];
    if (halves.has(d) !== (forms !== undefined)) throw bad(halves.has(d) ? `buffers hold ${d}, but forms.${d} does not say how the shaders hold it` : `forms.${d} is given, but no buffer holds ${d}`);
    if (forms !== undefined && (!Array.isArray(forms) || !forms.includes('packed') || !forms.every((f) => allowed.includes(f)))) {
      throw bad(`forms.${d} is ${JSON.stringify(forms)}; expected a list of ${allowed.join(' and ')} that has packed`);
    }
  }
  for (const [field, f] of Object.entries(m.uniform.fields)) {
    if (field !== 'seed' && field !== 'slice') throw bad(`uniform field '${field}' is not one this runtime fills (only 'seed' and 'slice')`);
    if (f.type !== 'u32' || f.offset % 4 !== 0 || f.offset + 4 > m.uniform.bytes) throw bad(`uniform field '${field}' must be a u32 at a multiple of 4 inside the ${m.uniform.bytes} bytes`);
  }
  const have = limitRecord(device.limits);
  for (const [name, want] of Object.entries(m.limits ?? {})) {
    const got = have[name];
    if (typeof got !== 'number' || !limitMet(name, got, want)) {
      throw bad(`needs the WebGPU limit ${name} = ${want}, the device has ${got ?? 'no such limit'} (create it with requestDevice(adapter, manifest))`);
    }
  }
  // Dawn's message for these would name the limit but not the manifest's fix.
  for (const limit of ['maxBufferSize', 'maxStorageBufferBindingSize']) {
    const max = have[limit] ?? Infinity;
    for (const b of m.buffers) if (b.bytes > max) throw bad(`buffer '${b.name}' has ${b.bytes} bytes, over the device's ${limit} of ${max}: list ${limit} in the manifest's limits`);
  }
  const maxGroups = have['maxComputeWorkgroupsPerDimension'] ?? 65535;
  const kernelNames = new Set();
  for (const k of m.kernels) {
    if (kernelNames.has(k.name)) throw bad(`kernel name '${k.name}' is used twice`);
    kernelNames.add(k.name);
    if (typeof shaders[k.shader] !== 'string') throw bad(`kernel '${k.name}' uses shader '${k.shader}', which is not among the shaders given`);
    if (k.shaderF16 !== undefined && typeof shaders[k.shaderF16] !== 'string') throw bad(`kernel '${k.name}' has native f16 shader '${k.shaderF16}', which is not among the shaders given`);
    for (const [i, b] of k.bindings.entries()) {
      if (!names.has(b.buffer)) throw bad(`kernel '${k.name}' binds unknown buffer '${b.buffer}' at binding ${b.binding}`);
      const later = k.bindings.slice(i + 1);
      if (later.some((c) => c.binding === b.binding)) throw bad(`kernel '${k.name}' lists binding ${b.binding} twice`);
      // WebGPU forbids a writable buffer bound twice in one dispatch; the shader's access modes
      // are not known here, so the manifest forbids every repeat.
      const again = later.find((c) => c.buffer === b.buffer);
      if (again) throw bad(`kernel '${k.name}' binds buffer '${b.buffer}' twice (bindings ${b.binding} and ${again.binding}); bind each buffer once`);
    }
    if (k.dropout !== undefined) {
      if (!Array.isArray(k.dropout) || !k.dropout.every((id) => Number.isInteger(id) && id >= 0 && id <= 0xffffffff)) {
        throw bad(`kernel '${k.name}' has dropout ids ${JSON.stringify(k.dropout)}; expected an array of u32s`);
      }
      if (!k.bindings.some((b) => b.buffer === 'params')) throw bad(`kernel '${k.name}' has dropout ids but binds no 'params' uniform to hold them`);
    }
    if (!k.dispatch.every((n) => Number.isInteger(n) && n >= 0 && n <= maxGroups)) {
      throw bad(`kernel '${k.name}' dispatches [${k.dispatch.join(', ')}] workgroups; each must be an integer in 0..${maxGroups}`);
    }
  }
}

/** @param {ManifestBuffer} b */
const sourceOf = (b) => b.source ?? b.name;

/**
 * The element types a manifest's buffers may hold, by dtype: bytes per element and the typed array
 * that holds them on the host. Inputs are checked, buffers sized and outputs read through it. f16
 * and bf16 are their bits (a buffer rounds them up to whole words), in whichever form the shaders
 * hold them (Manifest.forms): both lay the elements out alike.
 */
const ELEMENTS = {
  f32: { bytes: 4, Array: Float32Array },
  i32: { bytes: 4, Array: Int32Array },
  f16: { bytes: 2, Array: Uint16Array },
  bf16: { bytes: 2, Array: Uint16Array },
};

/**
 * The forms each 16-bit float dtype of the buffers runs in on a device with these features: f16
 * native where the manifest has native shaders and the device 'shader-f16', else packed.
 * @param {Manifest} manifest
 * @param {{ has(feature: string): boolean }} features
 * @returns {Model['forms']}
 */
export function formsFor(manifest, features) {
  /** @type {Model['forms']} */
  const out = {};
  const f16 = manifest.forms?.f16;
  if (f16) out.f16 = f16.includes('native') && features?.has('shader-f16') === true ? 'native' : 'packed';
  if (manifest.forms?.bf16) out.bf16 = 'packed';
  return out;
}

/**
 * The elements a buffer holds: its shape's, or as many as its bytes take.
 * @param {ManifestBuffer} b
 */
const elementCount = (b) => (b.shape ? numel(b.shape) : Math.floor(b.bytes / elementOf(b).bytes));

/**
 * Writes typed-array data at the start of a buffer. writeBuffer takes whole 4-byte words: an odd
 * number of 16-bit elements goes through a copy padded with a zero half.
 * @param {GPUDevice} device @param {GPUBuffer} buffer @param {ArrayBufferView} data
 */
function upload(device, buffer, data) {
  if (data.byteLength % 4 === 0) {
    device.queue.writeBuffer(buffer, 0, data);
    return;
  }
  const padded = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
  padded.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  device.queue.writeBuffer(buffer, 0, padded);
}

/** @param {ManifestBuffer} b */
const elementOf = (b) => ELEMENTS[b.dtype];

/** @param {readonly number[]} shape */
const numel = (shape) => shape.reduce((a, d) => a * d, 1);

/**
 * `i32[2, 16]`, or the bare dtype for a manifest without shapes.
 * @param {{ dtype: string, shape?: readonly number[] }} b
 */
const typeName = (b) => (b.shape ? `${b.dtype}[${b.shape.join(', ')}]` : b.dtype);

/** @param {Int32Array | Float32Array | Uint16Array | BigInt64Array} data */
const elementType = (data) => (data instanceof Int32Array ? 'i32' : data instanceof Float32Array ? 'f32' : data instanceof Uint16Array ? 'u16' : 'i64');

/** @param {readonly number[]} a @param {readonly number[]} b */
const sameShape = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * An input's data and, when the caller gave one, its shape: a bare typed array has none.
 * @param {InputTensor | InputData} input
 * @returns {{ data: unknown, shape?: unknown }}
 */
function inputParts(input) {
  if (ArrayBuffer.isView(input) || typeof input !== 'object' || input === null) return { data: input };
  return { data: /** @type {InputTensor} */ (input).data, shape: /** @type {InputTensor} */ (input).shape };
}

/**
 * The inputs as the buffers take them, every mistake said in the model's terms: which input, its
 * element type and count (or shape, when the caller gives one) against the model's type. I64 ids
 * (as Hugging Face writes them) become Int32Array, refusing values outside i32 by position, as
 * `bertc run` does. With a sliced batch the inputs are whole, so the model's type is the whole
 * batch's: `slices` times axis 0.
 * @param {Manifest} m
 * @param {RunOptions['inputs']} inputs
 * @returns {Record<string, Int32Array | Float32Array | Uint16Array>}
 */
function checkInputs(m, inputs) {
  const ins = m.buffers.filter((b) => b.kind === 'input');
  for (const name of Object.keys(inputs)) {
    if (!ins.some((b) => sourceOf(b) === name)) throw new ModelError(`${modelName(m)}: unknown input '${name}' (the inputs are: ${ins.map(sourceOf).join(', ') || 'none'})`);
  }
  const slices = m.batch ? m.batch.size / m.batch.chunk : 1;
  /** @type {Record<string, Int32Array | Float32Array | Uint16Array>} */
  const out = {};
  for (const b of ins) {
    const name = sourceOf(b);
    const given = inputs[name];
    if (!given) throw new ModelError(`${modelName(m)}: input '${name}' is missing`);
    const { data, shape } = inputParts(given);
    const whole = b.shape ? { dtype: b.dtype, shape: b.shape.map((d, i) => (i === 0 ? d * slices : d)) } : { dtype: b.dtype };
    // i32 ids may come as Hugging Face writes them, int64.
    const ids = b.dtype === 'i32';
    if (!(data instanceof elementOf(b).Array || (ids && data instanceof BigInt64Array))) {
      const pass = ids ? 'an Int32Array, or a BigInt64Array of values that fit i32' : `a ${elementOf(b).Array.name}${elementOf(b).bytes === 2 ? ` of the ${b.dtype} bits` : ''}`;
      throw new ModelError(`${modelName(m)}: input '${name}' is a ${data?.constructor?.name ?? typeof data}, the model takes ${typeName(whole)}: pass ${pass}`);
    }
    if (shape !== undefined) {
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new ModelError(`${modelName(m)}: input '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
      }
      const given = { dtype: elementType(data), shape };
      if (numel(shape) !== data.length) throw new ModelError(`${modelName(m)}: input '${name}' is ${typeName(given)}, but its data has ${data.length} elements`);
      if (whole.shape && !sameShape(shape, whole.shape)) throw new ModelError(`${modelName(m)}: input '${name}' is ${typeName(given)}, the model takes ${typeName(whole)}`);
    }
    const want = elementCount(b) * slices;
    if (data.length !== want) {
      throw new ModelError(`${modelName(m)}: input '${name}' has ${data.length} ${elementType(data)} elements, the model takes ${want}${b.shape ? ` (${typeName(whole)})` : ''}`);
    }
    out[name] = data instanceof BigInt64Array ? narrowToI32(m, name, data) : data;
  }
  return out;
}

/**
 * @param {Manifest} m @param {string} name
 * @param {BigInt64Array} data
 */
function narrowToI32(m, name, data) {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = /** @type {bigint} */ (data[i]);
    if (v < -2147483648n || v > 2147483647n) throw new ModelError(`${modelName(m)}: input '${name}' holds ${v} at element ${i}, which does not fit in i32`);
    out[i] = Number(v);
  }
  return out;
}

/**
 * @param {GPUDevice} device
 * @param {Manifest} manifest
 * @param {Record<string, string>} shaders
 * @param {ReadonlyMap<string, HostTensor>} weights
 * @returns {Promise<Model>}
 */
export async function createModel(device, manifest, shaders, weights) {
  checkManifest(manifest, shaders, device);
  const forms = formsFor(manifest, device.features);
  /** The shader a kernel runs on this device: its native f16 form where the device takes it. */
  const shaderOf = (/** @type {ManifestKernel} */ k) => (forms.f16 === 'native' && k.shaderF16 !== undefined ? k.shaderF16 : k.shader);
  const guard = new DeviceGuard(device, modelName(manifest));
  /** @type {Map<string, GPUBuffer>} */
  const buffers = new Map();
  /**
   * The uniforms: the shared 'params' first, then one per dispatch with dropout ids, by kernel name
   * (its seed and slice are written with the shared one's on every run).
   * @type {Map<string, GPUBuffer>}
   */
  const uniforms = new Map();
  const destroyAll = () => {
    for (const b of [...buffers.values(), ...uniforms.values()]) b.destroy();
    guard.dispose();
  };
  try {
    await guard.scoped('creating buffers and uploading weights', () => {
      // Uniform sizes round up to 16 bytes, which every uniform struct layout fits in.
      const uniformBytes = Math.max(16, Math.ceil(manifest.uniform.bytes / 16) * 16);
      buffers.set('params', device.createBuffer({ label: 'params', size: uniformBytes, usage: USAGE.UNIFORM | USAGE.COPY_DST }));
      for (const k of manifest.kernels) {
        if (!k.dropout?.length) continue;
        // The dropout ids follow the shared fields, four to a vec4 (runtime.d.ts, ManifestKernel.dropout).
        const own = device.createBuffer({ label: `params of ${k.name}`, size: uniformBytes + 16 * Math.ceil(k.dropout.length / 4), usage: USAGE.UNIFORM | USAGE.COPY_DST });
        uniforms.set(k.name, own);
        device.queue.writeBuffer(own, uniformBytes, new Uint32Array(k.dropout));
      }
      for (const b of manifest.buffers) {
        // COPY_SRC on every buffer, so that read() can show any intermediate when debugging.
        buffers.set(b.name, device.createBuffer({ label: b.name, size: b.bytes, usage: USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC }));
      }
      for (const b of manifest.buffers.filter((x) => x.kind === 'weight')) {
        const t = weights.get(sourceOf(b));
        if (!t) throw new ModelError(`${modelName(manifest)}: weight tensor '${sourceOf(b)}' (buffer '${b.name}') is missing from the weights`);
        if (t.dtype.toLowerCase() !== b.dtype) throw new ModelError(`${modelName(manifest)}: weight tensor '${sourceOf(b)}' has dtype ${t.dtype}, buffer '${b.name}' holds ${b.dtype}`);
        const bytes = elementCount(b) * elementOf(b).bytes;
        if (t.data.byteLength !== bytes) {
          throw new ModelError(`${modelName(manifest)}: weight tensor '${sourceOf(b)}' [${t.shape.join(', ')}] has ${t.data.byteLength} bytes, buffer '${b.name}' expects ${bytes}`);
        }
        upload(device, /** @type {GPUBuffer} */ (buffers.get(b.name)), t.data);
      }
    });

    /** @type {CompilationMessage[]} */
    const compilationMessages = [];
    /** @type {Map<string, GPUShaderModule>} */
    const modules = new Map();
    // Not guard.scoped: the scope's error repeats Tint's message without the shader's name, so the
    // messages of getCompilationInfo come first.
    device.pushErrorScope('validation');
    for (const key of new Set(manifest.kernels.map(shaderOf))) {
      modules.set(key, device.createShaderModule({ label: key, code: /** @type {string} */ (shaders[key]) }));
    }
    for (const [key, mod] of modules) {
      const info = await guard.race(mod.getCompilationInfo());
      for (const m of info.messages) compilationMessages.push({ shader: key, type: m.type, message: m.message, lineNum: m.lineNum, linePos: m.linePos });
    }
    const scopeError = await guard.race(device.popErrorScope());
    const errors = compilationMessages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      const where = errors.map((e) => `  ${e.shader}:${e.lineNum}:${e.linePos}: error: ${e.message}\n    ${sourceLine(shaders[e.shader], e.lineNum)}`);
      throw Object.assign(new ModelError(`${modelName(manifest)}: WGSL compilation failed:\n${where.join('\n')}`), { compilationMessages });
    }
    if (scopeError) throw new ModelError(`${modelName(manifest)}: creating the shader modules: WebGPU ${errorKind(scopeError)}: ${scopeError.message}`);

    /** @type {Map<string, { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup }>} */
    const compiled = new Map();
    // One pipeline per shader entry point, which every dispatch of it shares with its own bind group.
    /** @type {Map<string, GPUComputePipeline>} */
    const pipelines = new Map();
    for (const k of manifest.kernels) {
      const shader = shaderOf(k);
      const what = `kernel '${k.name}' (shader '${shader}', entry '${k.entry}')`;
      const key = JSON.stringify([shader, k.entry]);
      let pipeline = pipelines.get(key);
      if (!pipeline) {
        pipeline = await guard.scoped(`creating the pipeline of ${what}`, () =>
          device.createComputePipelineAsync({ label: `${shader}:${k.entry}`, layout: 'auto', compute: { module: /** @type {GPUShaderModule} */ (modules.get(shader)), entryPoint: k.entry } }),
        );
        pipelines.set(key, pipeline);
      }
      const layout = pipeline.getBindGroupLayout(0);
      const bufferOf = (/** @type {string} */ name) => /** @type {GPUBuffer} */ ((name === 'params' && uniforms.get(k.name)) || buffers.get(name));
      // With layout 'auto' the layout holds exactly the bindings the entry point uses, so the
      // manifest must list exactly those: an extra or a missing one fails here, naming the kernel.
      const bindGroup = await guard.scoped(`binding the buffers of ${what}`, () =>
        device.createBindGroup({ label: k.name, layout, entries: k.bindings.map((b) => ({ binding: b.binding, resource: { buffer: bufferOf(b.buffer) } })) }),
      );
      compiled.set(k.name, { pipeline, bindGroup });
    }

    /**
     * @param {boolean} once
     * @param {GPUCommandEncoder} enc
     * @param {GPUQuerySet} [timestamps] when profiling: each dispatch in a pass of its own, which
     *   writes timestamps 2i and 2i + 1 at its start and end
     */
    const encodeKernels = (once, enc, timestamps) => {
      // Otherwise one pass for all dispatches: WebGPU orders dispatches within a pass and makes each
      // one's storage writes visible to the next.
      let pass = timestamps ? undefined : enc.beginComputePass({ label: once ? 'once' : 'run' });
      manifest.kernels.filter((x) => x.once === once).forEach((k, i) => {
        const c = /** @type {{ pipeline: GPUComputePipeline; bindGroup: GPUBindGroup }} */ (compiled.get(k.name));
        const own = timestamps && enc.beginComputePass({ label: k.name, timestampWrites: { querySet: timestamps, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
        const p = /** @type {GPUComputePassEncoder} */ (own ?? pass);
        p.setPipeline(c.pipeline);
        p.setBindGroup(0, c.bindGroup);
        p.dispatchWorkgroups(...k.dispatch);
        own?.end();
      });
      pass?.end();
    };

    if (manifest.kernels.some((k) => k.once)) {
      await guard.scoped('running the once kernels', async () => {
        const enc = device.createCommandEncoder({ label: 'once' });
        encodeKernels(true, enc);
        device.queue.submit([enc.finish()]);
        await guard.race(device.queue.onSubmittedWorkDone());
      });
    }
    return new ModelImpl(device, manifest, guard, buffers, [...uniforms.values()], compilationMessages, encodeKernels, destroyAll, forms);
  } catch (e) {
    destroyAll();
    throw e;
  }
}

/** @param {string | undefined} text @param {number} line */
function sourceLine(text, line) {
  return (text ?? '').split('\n')[line - 1]?.trim() ?? '';
}

/** @implements {Model} */
class ModelImpl {
  /**
   * @param {GPUDevice} device
   * @param {Manifest} manifest
   * @param {DeviceGuard} guard
   * @param {Map<string, GPUBuffer>} buffers
   * @param {GPUBuffer[]} ownUniforms the dispatches' own uniforms, which take the seed and slice too
   * @param {CompilationMessage[]} compilationMessages
   * @param {(once: boolean, enc: GPUCommandEncoder, timestamps?: GPUQuerySet) => void} encodeKernels
   * @param {() => void} destroyAll
   * @param {Model['forms']} forms
   */
  constructor(device, manifest, guard, buffers, ownUniforms, compilationMessages, encodeKernels, destroyAll, forms) {
    this.device = device;
    this.manifest = manifest;
    this.guard = guard;
    this.buffers = buffers;
    this.ownUniforms = ownUniforms;
    this.compilationMessages = compilationMessages;
    this.encodeKernels = encodeKernels;
    this.destroyAll = destroyAll;
    this.forms = forms;
    this.destroyed = false;
    /** Error scopes belong to the device, so two runs in flight would catch each other's errors. */
    this.queue = Promise.resolve();
  }

  /**
   * @template T
   * @param {() => Promise<T>} op
   * @returns {Promise<T>}
   */
  serialize(op) {
    const next = this.queue.then(() => {
      if (this.destroyed) throw new ModelError(`${modelName(this.manifest)}: the model was destroyed`);
      return op();
    });
    this.queue = next.then(
      () => {},
      () => {},
    );
    return next;
  }

  /** @param {RunOptions} options */
  run({ inputs, seed = 0 }) {
    return this.serialize(async () => (await this.runSlices(inputs, seed)).outputs);
  }

  /** @param {RunOptions} options */
  profile({ inputs, seed = 0 }) {
    if (!this.device.features.has('timestamp-query')) {
      return Promise.reject(new ModelError(`${modelName(this.manifest)}: this device has no 'timestamp-query' feature, so its dispatches cannot be timed (create it with requestDevice(adapter, manifest) on an adapter that offers it)`));
    }
    return this.serialize(async () => {
      const { outputs, times } = await this.runSlices(inputs, seed, true);
      const run = this.manifest.kernels.filter((k) => !k.once);
      return { outputs, dispatches: run.map((k, i) => ({ kernel: k.name, ms: /** @type {number[]} */ (times)[i] ?? 0 })) };
    });
  }

  /**
   * A run, in batch slices where the manifest says so; with `timing`, each dispatch's GPU time in
   * ms, summed over the slices.
   * @param {RunOptions['inputs']} inputs
   * @param {number} seed
   * @param {boolean} [timing]
   * @returns {Promise<{ outputs: Record<string, import('./runtime.js').OutputData>; times?: number[] }>}
   */
  async runSlices(inputs, seed, timing = false) {
    const batch = this.manifest.batch;
    if (!batch) return this.runNow(checkInputs(this.manifest, inputs), seed, 0, undefined, undefined, timing);
    const whole = checkInputs(this.manifest, inputs);
    // The shaders hold `chunk` batch rows: run the slices in turn and stitch the outputs together.
    const slices = batch.size / batch.chunk;
    /** @type {Record<string, import('./runtime.js').OutputData[]>} */
    const parts = {};
    /** @type {number[] | undefined} */
    let times;
    for (let i = 0; i < slices; i++) {
      /** @type {Record<string, Int32Array | Float32Array | Uint16Array>} */
      const slice = {};
      for (const [name, data] of Object.entries(whole)) {
        const per = data.length / batch.size;
        slice[name] = data.subarray(i * batch.chunk * per, (i + 1) * batch.chunk * per);
      }
      const out = await this.runNow(slice, seed, i, undefined, undefined, timing);
      for (const [name, data] of Object.entries(out.outputs)) (parts[name] ??= []).push(data);
      if (out.times) times = out.times.map((t, j) => t + (times?.[j] ?? 0));
    }
    const outs = new Map(this.manifest.buffers.filter((b) => b.kind === 'output').map((b) => [sourceOf(b), b]));
    const outputs = Object.fromEntries(Object.entries(parts).map(([name, list]) => {
      const whole = new (elementOf(/** @type {ManifestBuffer} */ (outs.get(name))).Array)(list.reduce((n, x) => n + x.length, 0));
      let at = 0;
      for (const x of list) {
        whole.set(x, at);
        at += x.length;
      }
      return [name, whole];
    }));
    return times ? { outputs, times } : { outputs };
  }

  /**
   * @param {Record<string, Int32Array | Float32Array | Uint16Array>} inputs checked, one slice's when the batch is sliced
   * @param {number} seed
   * @param {number} [sliceIndex] which slice of the batch this is (dropout numbers elements across the whole batch)
   * @param {string[]} [read] the outputs to read back (by tensor name); all of them by default
   * @param {(enc: GPUCommandEncoder) => void} [then] encodes more work after the run and its reads,
   *   in the same submission (a training step's weight updates)
   * @param {boolean} [timing] time each dispatch (the device has 'timestamp-query')
   * @returns {Promise<{ outputs: Record<string, import('./runtime.js').OutputData>; times?: number[] }>}
   */
  async runNow(inputs, seed, sliceIndex = 0, read, then, timing = false) {
    const { manifest: m, device } = this;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ModelError(`${modelName(m)}: seed ${seed} is not a u32`);
    const ins = m.buffers.filter((b) => b.kind === 'input');
    const outs = m.buffers.filter((b) => b.kind === 'output' && (!read || read.includes(sourceOf(b))));
    return this.guard.scoped('running', async () => {
      const uniform = new ArrayBuffer(this.buf('params').size);
      const seedField = m.uniform.fields['seed'];
      if (seedField) new DataView(uniform).setUint32(seedField.offset, seed, true);
      const sliceField = m.uniform.fields['slice'];
      if (sliceField) new DataView(uniform).setUint32(sliceField.offset, sliceIndex, true);
      device.queue.writeBuffer(this.buf('params'), 0, uniform);
      for (const own of this.ownUniforms) device.queue.writeBuffer(own, 0, uniform);
      for (const b of ins) upload(device, this.buf(b.name), /** @type {Int32Array | Float32Array | Uint16Array} */ (inputs[sourceOf(b)]));
      const enc = device.createCommandEncoder({ label: 'run' });
      // No buffer is cleared: every kernel writes all of its outputs, and intermediates that the once
      // kernels computed from the weights (the concatenated QKV weights) must survive between runs.
      const dispatches = m.kernels.filter((k) => !k.once).length;
      const queries = timing ? device.createQuerySet({ label: 'dispatch times', type: 'timestamp', count: 2 * Math.max(1, dispatches) }) : undefined;
      this.encodeKernels(false, enc, queries);
      const readTimes = queries && this.encodeTimestamps(enc, queries);
      const read = this.encodeReads(enc, outs);
      then?.(enc);
      device.queue.submit([enc.finish()]);
      try {
        const data = await read();
        const outputs = Object.fromEntries(outs.map((b, i) => [sourceOf(b), /** @type {import('./runtime.js').OutputData} */ (data[i])]));
        return readTimes ? { outputs, times: await readTimes() } : { outputs };
      } finally {
        queries?.destroy();
      }
    });
  }

  /**
   * Resolves the timestamps into a buffer; the returned function reads each dispatch's ms.
   * @param {GPUCommandEncoder} enc
   * @param {GPUQuerySet} queries
   */
  encodeTimestamps(enc, queries) {
    const bytes = queries.count * 8;
    const resolved = this.device.createBuffer({ label: 'resolved timestamps', size: bytes, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC });
    const staging = this.device.createBuffer({ label: 'read timestamps', size: bytes, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    enc.resolveQuerySet(queries, 0, queries.count, resolved, 0);
    enc.copyBufferToBuffer(resolved, 0, staging, 0, bytes);
    return async () => {
      try {
        await this.guard.race(staging.mapAsync(MAP_READ));
        const ns = new BigUint64Array(staging.getMappedRange().slice(0));
        // A device may quantise or reorder timestamps; a negative span reads as 0 rather than as noise.
        return Array.from({ length: queries.count / 2 }, (_, i) => Math.max(0, Number(/** @type {bigint} */ (ns[2 * i + 1]) - /** @type {bigint} */ (ns[2 * i]))) / 1e6);
      } finally {
        resolved.destroy();
        staging.destroy();
      }
    };
  }

  /**
   * One training step, in one submission: a run and its reads, then each output that is the next
   * value of a weight (an output buffer whose tensor names a weight buffer's) copied over that weight
   * on the device, and the weight transforms (the once kernels) run again over the new weights.
   * `read` names the outputs to read back (all of them by default); they are copied out before the
   * weights change.
   * @param {RunOptions & { read?: string[] }} options
   */
  step({ inputs, seed = 0, read }) {
    if (this.manifest.batch) return Promise.reject(new ModelError(`${modelName(this.manifest)}: a training step cannot run in batch slices`));
    return this.serialize(() => {
      const weights = new Map(this.manifest.buffers.filter((b) => b.kind === 'weight').map((b) => [sourceOf(b), b]));
      const updates = this.manifest.buffers.filter((b) => b.kind === 'output' && weights.has(sourceOf(b)));
      const done = this.runNow(checkInputs(this.manifest, inputs), seed, 0, read, (enc) => {
        for (const b of updates) enc.copyBufferToBuffer(this.buf(b.name), 0, this.buf(/** @type {ManifestBuffer} */ (weights.get(sourceOf(b))).name), 0, b.bytes);
        if (this.manifest.kernels.some((k) => k.once)) this.encodeKernels(true, enc);
      });
      return done.then((r) => r.outputs);
    });
  }

  /** @param {string} name */
  read(name) {
    return this.serialize(async () => {
      const b = this.manifest.buffers.find((x) => x.name === name);
      if (!b) throw new ModelError(`${modelName(this.manifest)}: no buffer named '${name}'`);
      return this.guard.scoped(`reading buffer '${name}'`, async () => {
        const enc = this.device.createCommandEncoder({ label: `read ${name}` });
        const read = this.encodeReads(enc, [b]);
        this.device.queue.submit([enc.finish()]);
        return /** @type {import('./runtime.js').OutputData} */ ((await read())[0]);
      });
    });
  }

  /**
   * Copies buffers into fresh MAP_READ buffers; the returned function maps and copies them out.
   * @param {GPUCommandEncoder} enc
   * @param {ManifestBuffer[]} list
   */
  encodeReads(enc, list) {
    const staging = list.map((b) => {
      const s = this.device.createBuffer({ label: `read ${b.name}`, size: b.bytes, usage: USAGE.MAP_READ | USAGE.COPY_DST });
      enc.copyBufferToBuffer(this.buf(b.name), 0, s, 0, b.bytes);
      return s;
    });
    return async () => {
      try {
        await this.guard.race(Promise.all(staging.map((s) => s.mapAsync(MAP_READ))));
        return list.map((b, i) => {
          const bytes = /** @type {GPUBuffer} */ (staging[i]).getMappedRange().slice(0);
          // A buffer of 16-bit elements may end in a padding half.
          return elementOf(b).bytes === 2 ? new Uint16Array(bytes, 0, elementCount(b)) : new (elementOf(b).Array)(bytes);
        });
      } finally {
        for (const s of staging) s.destroy();
      }
    };
  }

  /** @param {string} name */
  buf(name) {
    const b = this.buffers.get(name);
    if (!b) throw new ModelError(`${modelName(this.manifest)}: internal: no GPU buffer '${name}'`);
    return b;
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.destroyAll();
  }
}
