/**
 * An accelerator description, as read from JSON (docs/accelerators.md documents the format and
 * src/accel/validate.ts checks it). All rates are per second, capacities in bytes, and per-core
 * figures are multiplied by `cores`.
 */

/** Element types the compute array may support. */
export type MatrixDType = 'f32' | 'tf32' | 'f16' | 'bf16';

export interface MatrixUnit {
  /**
   * A systolic array of rows x cols processing elements (one MAC per PE per cycle), or for other
   * designs the output tile one core computes at a time (e.g. a GPU thread block's tile). GEMM
   * tiles are aligned to it; partial tiles cost a full one.
   */
  readonly array: { readonly rows: number; readonly cols: number };
  /** Systolic arrays pay a fill and drain of rows + cols cycles per output tile. */
  readonly systolic: boolean;
  /** Multiply-accumulates per cycle per core, by dtype; a dtype not listed is unsupported. */
  readonly macs_per_cycle: Readonly<Partial<Record<MatrixDType, number>>>;
  /**
   * The fraction of that peak a GEMM's inner loop sustains on whole tiles (a CPU micro-kernel's
   * loads, broadcasts and register pressure; `bertc calibrate` measures the runtime's); 1 when
   * absent. Every GEMM's compute time is divided by it.
   */
  readonly efficiency?: number;
  /**
   * Cycles each output tile pays besides its MACs (a CPU micro-kernel's set-up and its loads and
   * stores of C), as a systolic array pays its fill and drain: a shallow product (attention's, 64
   * deep) pays it most. `bertc calibrate` measures it; 0 when absent.
   */
  readonly tile_overhead_cycles?: number;
  /**
   * The matrix unit is the vector unit's own pipelines (a CPU, whose FMA units run the GEMM
   * micro-kernel, the elementwise work and the special-function polynomials alike): a kernel's
   * matrix, vector and special-function times add up instead of overlapping. False when absent.
   */
  readonly shared_pipelines?: boolean;
  /**
   * Operand elements per second, all cores together, that a matrix unit without its own data
   * path (a CPU's) spends repacking a fused attention's operands on every call: Q, K and V of
   * each head, and the probabilities, into the micro-kernel's panels. Shallow products (64 deep)
   * do as much packing per multiply-add as a dense layer does per 64 weights. `bertc calibrate`
   * measures the C runtime's; no such cost when absent.
   */
  readonly pack_elements_per_s?: number;
}

export type SpecialFunction = 'exp' | 'erf' | 'tanh' | 'rsqrt';

export interface VectorUnit {
  /** f32 lanes per core. */
  readonly lanes: number;
  /** Floating-point operations per lane per cycle (2 with fused multiply-add). */
  readonly ops_per_lane_per_cycle: number;
  /** Special-function evaluations per cycle per core. */
  readonly special_per_cycle: Readonly<Record<SpecialFunction, number>>;
}

export interface MemoryLevel {
  readonly name: string;
  readonly capacity_bytes: number;
  /** Bandwidth between this level and the compute units, all cores together. */
  readonly bandwidth_bytes_per_s: number;
  /** Each core has its own (true) or all cores share one (false). */
  readonly per_core: boolean;
}

/** The limits a WebGPU device guarantees; tiles and dispatches must respect them. */
export interface WebGpuLimits {
  readonly max_workgroup_storage_bytes: number;
  readonly max_invocations_per_workgroup: number;
  readonly max_workgroups_per_dimension: number;
  readonly max_storage_buffers_per_stage: number;
  readonly max_storage_buffer_binding_bytes: number;
}

/** The link between devices that data-parallel training all-reduces its gradients over (docs/studies.md). */
export interface Interconnect {
  /** Bytes per second one device sends to its ring neighbour while receiving as much from the other. */
  readonly bandwidth_bytes_per_s: number;
  /** Fixed cost of one ring step (one message to the neighbour), in seconds. */
  readonly latency_s: number;
}

/** The kernel classes (the cost report's categories) near-memory units may run: memory-bound work, no GEMMs. */
export type NearMemoryClass = 'softmax' | 'layernorm' | 'gelu' | 'dropout' | 'elementwise' | 'embedding' | 'casts' | 'data-movement';

/**
 * Compute units beside the DRAM (processing in or near memory): they read and write DRAM at their
 * own internal bandwidth instead of over the interface the main array uses. The cost model places
 * a kernel of a class they run there when that is predicted faster (docs/cost-model.md).
 */
export interface NearMemory {
  /** Floating-point operations per second of all the units together, by kernel class; a class left out does not run there. */
  readonly flops_per_s: Readonly<Partial<Record<NearMemoryClass, number>>>;
  /** Special-function evaluations (exp, erf, rsqrt, ...) per second, all units together. */
  readonly special_per_s: number;
  /** Bytes per second the units read and write DRAM at, all together. */
  readonly bandwidth_bytes_per_s: number;
  /** Fixed cost of handing one kernel from the main array to the units and back (synchronisation, mode switch), in seconds. */
  readonly handoff_s: number;
}

export interface Dram {
  readonly capacity_bytes: number;
  /** Bytes read plus written per second, all cores together. */
  readonly bandwidth_bytes_per_s: number;
  /**
   * The rate row kernels (reductions, gathers, data movement, elementwise kernels that read
   * through a transpose or slice) reach on data out of cache, bytes read plus written, when it
   * differs from the bandwidth a copy reaches (bertc calibrate measures the C backend's layernorm
   * kernel); their DRAM time is divided by it. GEMMs and elementwise kernels reading every operand
   * in order stream at `bandwidth_bytes_per_s`, which is also the rate when this is absent.
   */
  readonly stream_bandwidth_bytes_per_s?: number;
}

export interface Accelerator {
  readonly name: string;
  readonly description: string;
  /** Where the numbers come from: measurements, datasheets, papers. */
  readonly sources: readonly string[];
  readonly clock_hz: number;
  readonly cores: number;
  readonly matrix: MatrixUnit;
  readonly vector: VectorUnit;
  /** On-chip levels, innermost (smallest, fastest) first. */
  readonly memory: readonly MemoryLevel[];
  readonly dram: Dram;
  readonly launch_overhead_s: number;
  readonly webgpu?: WebGpuLimits;
  /** For studies of data-parallel training; without it a description models one device. */
  readonly interconnect?: Interconnect;
  readonly near_memory?: NearMemory;
}

/** Peak matrix throughput in FLOP/s (2 per MAC) for a dtype, or undefined when unsupported. */
export function peakMatrixFlops(a: Accelerator, dtype: MatrixDType): number | undefined {
  const macs = a.matrix.macs_per_cycle[dtype];
  return macs === undefined ? undefined : 2 * macs * a.clock_hz * a.cores;
}

export function peakVectorFlops(a: Accelerator): number {
  return a.vector.lanes * a.vector.ops_per_lane_per_cycle * a.clock_hz * a.cores;
}
