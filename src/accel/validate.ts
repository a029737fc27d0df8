import { closest } from '../diag/suggest.js';
import type { Accelerator, Dram, Interconnect, MatrixDType, NearMemory, NearMemoryClass, MatrixUnit, MemoryLevel, SpecialFunction, VectorUnit, WebGpuLimits } from './accelerator.js';

/**
 * The strict checker for accelerator descriptions (docs/accelerators.md; docs/accelerator.schema.json
 * describes the same format for editors). It reports every problem it finds, each as
 * `SOURCE: PATH: PROBLEM`, so one run fixes a whole file; it returns a fresh object holding only the
 * known fields.
 */

/** Every problem found in one description, one line each in `message`. */
export class AcceleratorError extends Error {
  override readonly name = 'AcceleratorError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/**
 * The keys of a union, in the order written. Taking a Record makes the compiler check that the list
 * is complete and has no typos, so these lists cannot drift from accelerator.ts.
 */
function keysOf<K extends string>(r: Record<K, true>): readonly K[] {
  return Object.keys(r) as K[];
}

export const MATRIX_DTYPES = keysOf<MatrixDType>({ f32: true, tf32: true, f16: true, bf16: true });
export const NEAR_MEMORY_CLASSES = keysOf<NearMemoryClass>({
  softmax: true, layernorm: true, gelu: true, dropout: true, elementwise: true, embedding: true, casts: true, 'data-movement': true,
});
export const SPECIAL_FUNCTIONS = keysOf<SpecialFunction>({ exp: true, erf: true, tanh: true, rsqrt: true });

interface ObjectFormat {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/**
 * The fields of each object in the format, keyed like the schema's `$defs` (the root is
 * `accelerator`). The validator reads its field lists from here and the schema test compares them
 * with docs/accelerator.schema.json.
 */
export const ACCELERATOR_FORMAT = {
  accelerator: {
    required: keysOf<Exclude<keyof Accelerator, 'webgpu' | 'interconnect' | 'near_memory'>>({
      name: true, description: true, sources: true, clock_hz: true, cores: true, matrix: true,
      vector: true, memory: true, dram: true, launch_overhead_s: true,
    }),
    // `$schema` lets a file point editors at the schema; the validator ignores its value.
    optional: ['webgpu', 'interconnect', 'near_memory', '$schema'],
  },
  matrix: { required: keysOf<Exclude<keyof MatrixUnit, 'efficiency' | 'tile_overhead_cycles' | 'shared_pipelines' | 'pack_elements_per_s'>>({ array: true, systolic: true, macs_per_cycle: true }), optional: ['efficiency', 'tile_overhead_cycles', 'shared_pipelines', 'pack_elements_per_s'] },
  array: { required: keysOf<keyof MatrixUnit['array']>({ rows: true, cols: true }), optional: [] },
  macs_per_cycle: { required: [], optional: MATRIX_DTYPES },
  vector: { required: keysOf<keyof VectorUnit>({ lanes: true, ops_per_lane_per_cycle: true, special_per_cycle: true }), optional: [] },
  special_per_cycle: { required: SPECIAL_FUNCTIONS, optional: [] },
  memory_level: { required: keysOf<keyof MemoryLevel>({ name: true, capacity_bytes: true, bandwidth_bytes_per_s: true, per_core: true }), optional: [] },
  dram: { required: keysOf<Exclude<keyof Dram, 'stream_bandwidth_bytes_per_s'>>({ capacity_bytes: true, bandwidth_bytes_per_s: true }), optional: ['stream_bandwidth_bytes_per_s'] },
  webgpu: {
    required: keysOf<keyof WebGpuLimits>({
      max_workgroup_storage_bytes: true, max_invocations_per_workgroup: true, max_workgroups_per_dimension: true,
      max_storage_buffers_per_stage: true, max_storage_buffer_binding_bytes: true,
    }),
    optional: [],
  },
  interconnect: { required: keysOf<keyof Interconnect>({ bandwidth_bytes_per_s: true, latency_s: true }), optional: [] },
  near_memory: { required: keysOf<keyof NearMemory>({ flops_per_s: true, special_per_s: true, bandwidth_bytes_per_s: true, handoff_s: true }), optional: [] },
  flops_per_s: { required: [], optional: NEAR_MEMORY_CLASSES },
} as const satisfies Record<string, ObjectFormat>;

type Obj = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as a problem line quotes it: short, and never a whole sub-object. */
function show(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

function child(path: string, key: string): string {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? k : /^[A-Za-z_$]/.test(k) ? `${path}.${k}` : `${path}[${k}]`;
}

const POSITIVE_NUMBER = 'a positive number';
const POSITIVE_INTEGER = 'a positive integer';

/**
 * Reads typed values out of unchecked JSON, recording problems instead of stopping at the first.
 * A reader that finds a problem returns a placeholder (NaN, false, '', undefined) so the walk can go
 * on; the result is discarded whenever a problem was recorded.
 */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly source: string) {}

  report(path: string, problem: string): void {
    this.problems.push(path === '' ? `${this.source}: ${problem}` : `${this.source}: ${path}: ${problem}`);
  }

  /** `o[key]`, reporting it when missing; undefined also when `o` itself was unusable (already reported). */
  private field(o: Obj | undefined, key: string, path: string, expected: string): unknown {
    if (o === undefined) return undefined;
    if (!Object.hasOwn(o, key)) this.report(child(path, key), `missing, expected ${expected}`);
    return o[key];
  }

  /** `v` as an object whose fields are all known, or undefined when it is not an object. */
  checkObject(v: unknown, path: string, format: ObjectFormat, noun = 'field'): Obj | undefined {
    if (!isObject(v)) {
      this.report(path, `must be an object, got ${show(v)}`);
      return undefined;
    }
    const known = [...format.required, ...format.optional];
    for (const key of Object.keys(v)) {
      if (known.includes(key)) continue;
      const near = closest(key, known);
      this.report(child(path, key), near ? `unknown ${noun} (did you mean '${near}'?)` : `unknown ${noun} (expected one of: ${known.join(', ')})`);
    }
    return v;
  }

  object(o: Obj | undefined, key: string, path: string, format: ObjectFormat, noun?: string): Obj | undefined {
    const v = this.field(o, key, path, 'an object');
    return v === undefined ? undefined : this.checkObject(v, child(path, key), format, noun);
  }

  number(o: Obj | undefined, key: string, path: string, expected: typeof POSITIVE_NUMBER | typeof POSITIVE_INTEGER): number {
    const v = this.field(o, key, path, expected);
    if (v === undefined) return NaN;
    const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && (expected === POSITIVE_NUMBER || Number.isInteger(v));
    if (ok) return v;
    this.report(child(path, key), `must be ${expected}, got ${show(v)}`);
    return NaN;
  }

  integer(o: Obj | undefined, key: string, path: string): number {
    return this.number(o, key, path, POSITIVE_INTEGER);
  }

  positive(o: Obj | undefined, key: string, path: string): number {
    return this.number(o, key, path, POSITIVE_NUMBER);
  }

  nonNegative(o: Obj | undefined, key: string, path: string): number {
    const v = this.field(o, key, path, 'a number at least 0');
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
    if (v !== undefined) this.report(child(path, key), `must be a number at least 0, got ${show(v)}`);
    return NaN;
  }

  boolean(o: Obj | undefined, key: string, path: string): boolean {
    const v = this.field(o, key, path, 'a boolean');
    if (v === undefined || typeof v === 'boolean') return v ?? false;
    this.report(child(path, key), `must be a boolean, got ${show(v)}`);
    return false;
  }

  text(o: Obj | undefined, key: string, path: string): string {
    return this.textValue(this.field(o, key, path, 'a non-empty string'), child(path, key));
  }

  textValue(v: unknown, path: string): string {
    if (v === undefined || (typeof v === 'string' && v !== '')) return v ?? '';
    this.report(path, `must be a non-empty string, got ${show(v)}`);
    return '';
  }

  /** `o[key]` as an array, reporting a missing, non-array or too short value. */
  list(o: Obj | undefined, key: string, path: string, what: string): readonly unknown[] {
    const v = this.field(o, key, path, 'an array');
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.report(child(path, key), `must be an array, got ${show(v)}`);
      return [];
    }
    if (v.length === 0) this.report(child(path, key), `must list at least one ${what}`);
    return v;
  }
}

function readMatrix(r: Reader, root: Obj | undefined): MatrixUnit {
  const m = r.object(root, 'matrix', '', ACCELERATOR_FORMAT.matrix);
  const array = r.object(m, 'array', 'matrix', ACCELERATOR_FORMAT.array);
  const macs = r.object(m, 'macs_per_cycle', 'matrix', ACCELERATOR_FORMAT.macs_per_cycle, 'dtype');
  const macsPerCycle: Partial<Record<MatrixDType, number>> = {};
  for (const dt of MATRIX_DTYPES) {
    if (macs && Object.hasOwn(macs, dt)) macsPerCycle[dt] = r.positive(macs, dt, 'matrix.macs_per_cycle');
  }
  // An array that supports no dtype can run nothing; the dtype names are the useful hint here.
  if (macs && !MATRIX_DTYPES.some((dt) => Object.hasOwn(macs, dt))) {
    r.report('matrix.macs_per_cycle', `must list at least one dtype (${MATRIX_DTYPES.join(', ')})`);
  }
  const efficiency = m && Object.hasOwn(m, 'efficiency') ? r.positive(m, 'efficiency', 'matrix') : undefined;
  if (efficiency !== undefined && efficiency > 1) r.report('matrix.efficiency', `must be at most 1 (a fraction of the peak), got ${efficiency}`);
  return {
    array: { rows: r.integer(array, 'rows', 'matrix.array'), cols: r.integer(array, 'cols', 'matrix.array') },
    systolic: r.boolean(m, 'systolic', 'matrix'),
    macs_per_cycle: macsPerCycle,
    ...(efficiency !== undefined && { efficiency }),
    ...(m && Object.hasOwn(m, 'tile_overhead_cycles') && { tile_overhead_cycles: r.nonNegative(m, 'tile_overhead_cycles', 'matrix') }),
    ...(m && Object.hasOwn(m, 'shared_pipelines') && { shared_pipelines: r.boolean(m, 'shared_pipelines', 'matrix') }),
    ...(m && Object.hasOwn(m, 'pack_elements_per_s') && { pack_elements_per_s: r.positive(m, 'pack_elements_per_s', 'matrix') }),
  };
}

function readVector(r: Reader, root: Obj | undefined): VectorUnit {
  const v = r.object(root, 'vector', '', ACCELERATOR_FORMAT.vector);
  const lanes = r.integer(v, 'lanes', 'vector');
  const ops = r.positive(v, 'ops_per_lane_per_cycle', 'vector');
  const sp = r.object(v, 'special_per_cycle', 'vector', ACCELERATOR_FORMAT.special_per_cycle, 'special function');
  const path = 'vector.special_per_cycle';
  const special = {
    exp: r.positive(sp, 'exp', path),
    erf: r.positive(sp, 'erf', path),
    tanh: r.positive(sp, 'tanh', path),
    rsqrt: r.positive(sp, 'rsqrt', path),
  } satisfies Record<SpecialFunction, number>;
  return { lanes, ops_per_lane_per_cycle: ops, special_per_cycle: special };
}

/**
 * The on-chip levels. Besides each level's fields: names are unique (reports name levels) and
 * capacities grow outward, which is what "innermost first" means and what GEMM tiling assumes when
 * it nests one level's tile inside the next.
 */
function readMemory(r: Reader, root: Obj | undefined): MemoryLevel[] {
  const items = r.list(root, 'memory', '', 'on-chip level');
  const levels = items.map((item, i): MemoryLevel => {
    const path = `memory[${i}]`;
    const l = r.checkObject(item, path, ACCELERATOR_FORMAT.memory_level);
    return {
      name: r.text(l, 'name', path),
      capacity_bytes: r.integer(l, 'capacity_bytes', path),
      bandwidth_bytes_per_s: r.positive(l, 'bandwidth_bytes_per_s', path),
      per_core: r.boolean(l, 'per_core', path),
    };
  });
  levels.forEach((l, i) => {
    const first = levels.findIndex((o) => o.name === l.name);
    if (l.name !== '' && first < i) r.report(`memory[${i}].name`, `duplicate of memory[${first}].name ${show(l.name)}`);
    const prev = levels[i - 1];
    if (prev && !Number.isNaN(prev.capacity_bytes) && !Number.isNaN(l.capacity_bytes) && l.capacity_bytes <= prev.capacity_bytes) {
      r.report(`memory[${i}].capacity_bytes`, `must be larger than memory[${i - 1}] (${prev.capacity_bytes}), got ${l.capacity_bytes}`);
    }
  });
  return levels;
}

function readDram(r: Reader, root: Obj | undefined, memory: readonly MemoryLevel[]): Accelerator['dram'] {
  const d = r.object(root, 'dram', '', ACCELERATOR_FORMAT.dram);
  const dram: Dram = {
    capacity_bytes: r.integer(d, 'capacity_bytes', 'dram'),
    bandwidth_bytes_per_s: r.positive(d, 'bandwidth_bytes_per_s', 'dram'),
    ...(d && Object.hasOwn(d, 'stream_bandwidth_bytes_per_s') && { stream_bandwidth_bytes_per_s: r.positive(d, 'stream_bandwidth_bytes_per_s', 'dram') }),
  };
  const last = memory.length - 1;
  const outer = memory[last];
  if (outer && dram.capacity_bytes <= outer.capacity_bytes) {
    r.report('dram.capacity_bytes', `must be larger than memory[${last}] (${outer.capacity_bytes}), got ${dram.capacity_bytes}`);
  }
  return dram;
}

function readWebGpu(r: Reader, root: Obj | undefined): WebGpuLimits | undefined {
  if (root === undefined || !Object.hasOwn(root, 'webgpu')) return undefined;
  const w = r.object(root, 'webgpu', '', ACCELERATOR_FORMAT.webgpu);
  return {
    max_workgroup_storage_bytes: r.integer(w, 'max_workgroup_storage_bytes', 'webgpu'),
    max_invocations_per_workgroup: r.integer(w, 'max_invocations_per_workgroup', 'webgpu'),
    max_workgroups_per_dimension: r.integer(w, 'max_workgroups_per_dimension', 'webgpu'),
    max_storage_buffers_per_stage: r.integer(w, 'max_storage_buffers_per_stage', 'webgpu'),
    max_storage_buffer_binding_bytes: r.integer(w, 'max_storage_buffer_binding_bytes', 'webgpu'),
  };
}

function readInterconnect(r: Reader, root: Obj | undefined): Interconnect | undefined {
  if (root === undefined || !Object.hasOwn(root, 'interconnect')) return undefined;
  const i = r.object(root, 'interconnect', '', ACCELERATOR_FORMAT.interconnect);
  return { bandwidth_bytes_per_s: r.positive(i, 'bandwidth_bytes_per_s', 'interconnect'), latency_s: r.positive(i, 'latency_s', 'interconnect') };
}

function readNearMemory(r: Reader, root: Obj | undefined): NearMemory | undefined {
  if (root === undefined || !Object.hasOwn(root, 'near_memory')) return undefined;
  const n = r.object(root, 'near_memory', '', ACCELERATOR_FORMAT.near_memory);
  const rates = r.object(n, 'flops_per_s', 'near_memory', ACCELERATOR_FORMAT.flops_per_s, 'kernel class');
  const flops: Partial<Record<NearMemoryClass, number>> = {};
  for (const c of NEAR_MEMORY_CLASSES) if (rates && Object.hasOwn(rates, c)) flops[c] = r.positive(rates, c, 'near_memory.flops_per_s');
  // Units that run nothing cannot change a prediction; an empty list is a mistake in the file.
  if (rates && !NEAR_MEMORY_CLASSES.some((c) => Object.hasOwn(rates, c))) r.report('near_memory.flops_per_s', `must list at least one kernel class (${NEAR_MEMORY_CLASSES.join(', ')})`);
  return {
    flops_per_s: flops,
    special_per_s: r.positive(n, 'special_per_s', 'near_memory'),
    bandwidth_bytes_per_s: r.positive(n, 'bandwidth_bytes_per_s', 'near_memory'),
    handoff_s: r.positive(n, 'handoff_s', 'near_memory'),
  };
}

/**
 * Checks `json` against the accelerator format and returns it typed, or throws an AcceleratorError
 * listing every problem. `source` (a file name, or e.g. "preset h100") starts each problem line.
 */
export function validateAccelerator(json: unknown, source: string): Accelerator {
  const r = new Reader(source);
  const root = r.checkObject(json, '', ACCELERATOR_FORMAT.accelerator);
  if (root && Object.hasOwn(root, '$schema') && typeof root.$schema !== 'string') {
    r.report('$schema', `must be a string, got ${show(root.$schema)}`);
  }
  const name = r.text(root, 'name', '');
  const description = r.text(root, 'description', '');
  const sources = r.list(root, 'sources', '', 'source').map((s, i) => r.textValue(s, `sources[${i}]`));
  const clock_hz = r.positive(root, 'clock_hz', '');
  const cores = r.integer(root, 'cores', '');
  const matrix = readMatrix(r, root);
  const vector = readVector(r, root);
  const memory = readMemory(r, root);
  const dram = readDram(r, root, memory);
  const launch_overhead_s = r.positive(root, 'launch_overhead_s', '');
  const webgpu = readWebGpu(r, root);
  const interconnect = readInterconnect(r, root);
  const near_memory = readNearMemory(r, root);
  if (r.problems.length > 0) throw new AcceleratorError(r.problems);
  const a: Accelerator = { name, description, sources, clock_hz, cores, matrix, vector, memory, dram, launch_overhead_s };
  return { ...a, ...(webgpu && { webgpu }), ...(interconnect && { interconnect }), ...(near_memory && { near_memory }) };
}
