import type { Accelerator, WebGpuLimits } from './accelerator.js';

/**
 * The accelerators bertc knows by name. Each says in `sources` where every number comes from and
 * which ones are assumptions; docs/accelerators.md tabulates them. test/accel.test.ts checks that
 * every preset passes validateAccelerator and the JSON schema.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** The WebGPU spec's default limits: what a portable shader may assume without requesting more. */
export const WEBGPU_SPEC_DEFAULTS: WebGpuLimits = {
  max_workgroup_storage_bytes: 16384,
  max_invocations_per_workgroup: 256,
  max_workgroups_per_dimension: 65535,
  max_storage_buffers_per_stage: 8,
  max_storage_buffer_binding_bytes: 128 * MiB,
};

// H100: matrix rates are the measured GEMM ceilings divided by 2 FLOP x 132 SMs x the stated clock,
// rounded to whole MACs; keep this clock and those divisions in step.
const H100_CLOCK_HZ = 1.98e9;

export const H100: Accelerator = {
  name: 'h100',
  description:
    'NVIDIA H100 80GB HBM3 (SXM) at the ceilings measured with PyTorch in bert-on-h100.md. ' +
    'An SM is a core; the matrix tile is a CUDA thread block\'s 128x128 output tile.',
  sources: [
    'matrix: measured 8192^3 GEMM ceilings from /work/shared/docs/bert-on-h100.md: f32 52, tf32 372, bf16 731 TFLOP/s; ' +
      'macs_per_cycle = ceiling / (2 x 132 SMs x 1.98 GHz) rounded to an integer, giving 51.7, 372.2 and 730.8 TFLOP/s (rounding error under 0.5%). ' +
      'They are effective rates, not hardware MAC counts, and absorb any clock drop under load.',
    'matrix f16: assumed equal to bf16 (Hopper tensor cores run both at one rate); not measured.',
    'clock_hz 1.98 GHz: H100 SXM5 maximum boost clock (NVIDIA datasheet); only the products with it matter.',
    'cores 132 SMs and L2 50 MB: bert-on-h100.md; the L2 is taken as 50 MiB (52,428,800 bytes, the binary reading is an assumption).',
    'matrix.array 128x128: a typical cuBLAS/CUTLASS thread-block tile (modelling choice); systolic false.',
    'vector: 128 FP32 lanes per SM with FMA (Hopper SM layout, NVIDIA whitepaper), 66.9 TFLOP/s: datasheet peak, not measured.',
    'special_per_cycle 16 per SM: SFU count per SM (4 per sub-partition); erf has no SFU instruction and is assumed to run at a similar rate as an FMA polynomial.',
    'memory smem: 228 KiB shared memory per SM (CUDA programming guide, compute capability 9.0); bandwidth 128 B/cycle/SM (32 banks x 4 B), 33.5 TB/s: derived, not measured.',
    'memory L2 bandwidth 6 TB/s: assumption (about twice the measured DRAM copy bandwidth); not measured.',
    'dram: 3.0 TB/s measured device-to-device copy, bytes read + written (bert-on-h100.md), below the datasheet\'s 3.35 TB/s; capacity 80 GiB (datasheet "80 GB").',
    'launch_overhead_s 4 us: assumption (typical CUDA kernel launch plus scheduling gap); not measured.',
    'webgpu: as seen by Dawn through Vulkan on an H100 (/work/shared/docs/webgpu-on-cpu.md): 49152 B workgroup storage, ' +
      '1024 invocations, 65535 workgroups per dimension; storage buffers per stage and binding size are the WebGPU spec defaults (not recorded there).',
    'interconnect: NVLink 4, 18 links x 25 GB/s = 450 GB/s each way per GPU (NVIDIA datasheet: 900 GB/s bidirectional), taken as what a ring step sends through an NVSwitch; ' +
      'not measured, and NCCL reaches less. latency_s 2 us per ring step: assumption.',
  ],
  clock_hz: H100_CLOCK_HZ,
  cores: 132,
  matrix: {
    array: { rows: 128, cols: 128 },
    systolic: false,
    macs_per_cycle: { f32: 99, tf32: 712, bf16: 1398, f16: 1398 },
  },
  vector: { lanes: 128, ops_per_lane_per_cycle: 2, special_per_cycle: { exp: 16, erf: 16, tanh: 16, rsqrt: 16 } },
  memory: [
    { name: 'smem', capacity_bytes: 228 * KiB, bandwidth_bytes_per_s: 128 * 132 * H100_CLOCK_HZ, per_core: true },
    { name: 'L2', capacity_bytes: 50 * MiB, bandwidth_bytes_per_s: 6e12, per_core: false },
  ],
  dram: { capacity_bytes: 80 * GiB, bandwidth_bytes_per_s: 3.0e12 },
  launch_overhead_s: 4e-6,
  webgpu: {
    ...WEBGPU_SPEC_DEFAULTS,
    max_workgroup_storage_bytes: 49152,
    max_invocations_per_workgroup: 1024,
    max_workgroups_per_dimension: 65535,
  },
  interconnect: { bandwidth_bytes_per_s: 450e9, latency_s: 2e-6 },
};

/**
 * The h100 description with processing-near-memory units on its HBM stacks, to show what the
 * cost model does with them; every near-memory number is an assumption.
 */
export const H100_PIM: Accelerator = {
  ...H100,
  name: 'h100-pim',
  description:
    'The h100 description with compute units in its five HBM3 stacks, in the spirit of Samsung HBM-PIM and SK hynix AiM: ' +
    'they run memory-bound kernels at the banks\' internal bandwidth. A what-if design, not a product.',
  sources: [
    ...H100.sources,
    'near_memory: assumptions in the spirit of Lee et al., "Hardware Architecture and Software Stack for PIM Based on Commercial DRAM Technology", ISCA 2021 (HBM-PIM: ' +
      'a 16-lane FP16 unit per pair of banks at 300 MHz, 1.2 TFLOP/s and about 4x the external bandwidth per stack).',
    'near_memory.bandwidth_bytes_per_s 12 TB/s: assumption, 4x the measured 3.0 TB/s DRAM copy bandwidth.',
    'near_memory.flops_per_s 6 TFLOP/s for elementwise, dropout, casts and data movement, 3 TFLOP/s for layernorm and softmax (row reductions across banks): ' +
      'assumptions, 1.2 TFLOP/s per stack x 5 stacks, halved where rows span banks; GELU and embeddings are not run there (no erf unit, gathers across stacks).',
    'near_memory.special_per_s 1.5e12: assumption, a quarter of the elementwise rate.',
    'near_memory.handoff_s 3 us: assumption (the main array synchronises and switches the DRAM into compute mode for each kernel).',
  ],
  near_memory: {
    flops_per_s: { elementwise: 6e12, dropout: 6e12, casts: 6e12, 'data-movement': 6e12, layernorm: 3e12, softmax: 3e12 },
    special_per_s: 1.5e12,
    bandwidth_bytes_per_s: 12e12,
    handoff_s: 3e-6,
  },
};

const TPU_CLOCK_HZ = 700e6;

export const TPU_V2_LIKE: Accelerator = {
  name: 'tpu-v2-like',
  description:
    'A TPU v2-like chip: two cores, each with one 128x128 bf16 systolic array fed from a vector memory, and HBM. ' +
    'Modelled from published figures, not measured.',
  sources: [
    'clock 700 MHz, 2 cores per chip, one 128x128 matrix unit per core, bf16 multiplies, 16 GiB HBM at about 700 GB/s: ' +
      'Jouppi et al., "A Domain-Specific Supercomputer for Training Deep Neural Networks", CACM 2020; peak 45.9 TFLOP/s bf16 per chip.',
    'macs_per_cycle bf16 16384 = 128 x 128 PEs, one MAC each per cycle.',
    'macs_per_cycle f32 4096: assumption, f32 products emulated with several bf16 passes at a quarter of the bf16 rate.',
    'vector: assumption, 8 sublanes x 128 lanes = 1024 f32 lanes per core, one operation per lane per cycle (no fused multiply-add assumed).',
    'special_per_cycle 128 per core: assumption (one 128-lane row of transcendentals per cycle).',
    'memory vmem: assumption, 16 MiB of vector memory per core at 4 KiB (one 8x128 f32 vector register) per cycle per core, 5.7 TB/s for the chip.',
    'launch_overhead_s 5 us: assumption (a TPU runs one compiled program; this stands for the per-kernel synchronisation and DMA set-up inside it).',
  ],
  clock_hz: TPU_CLOCK_HZ,
  cores: 2,
  matrix: { array: { rows: 128, cols: 128 }, systolic: true, macs_per_cycle: { bf16: 16384, f32: 4096 } },
  vector: { lanes: 1024, ops_per_lane_per_cycle: 1, special_per_cycle: { exp: 128, erf: 128, tanh: 128, rsqrt: 128 } },
  memory: [{ name: 'vmem', capacity_bytes: 16 * MiB, bandwidth_bytes_per_s: 4 * KiB * TPU_CLOCK_HZ * 2, per_core: true }],
  dram: { capacity_bytes: 16 * GiB, bandwidth_bytes_per_s: 700e9 },
  launch_overhead_s: 5e-6,
};

export const EDGE_NPU: Accelerator = {
  name: 'edge-npu',
  description:
    'A hypothetical edge NPU: one 32x32 systolic array at 1 GHz, 512 KiB of SRAM and LPDDR4x. ' +
    'Every number is a design parameter, not a product\'s datasheet.',
  sources: [
    'all numbers are design assumptions for a small mobile/embedded NPU, chosen to be typical of the class, not taken from one product.',
    'macs_per_cycle f16 and bf16 1024 = 32 x 32 PEs; f32 256 = a quarter rate (assumption).',
    'vector: assumption, 32 f32 lanes with FMA; special functions 4 per cycle (assumption).',
    'memory sram: 512 KiB at 256 GB/s (256 B/cycle at 1 GHz), design assumption.',
    'dram: LPDDR4x-3200 on a 64-bit bus = 25.6 GB/s; capacity 4 GiB (assumption).',
    'launch_overhead_s 10 us: assumption (driver round trip per command).',
  ],
  clock_hz: 1e9,
  cores: 1,
  matrix: { array: { rows: 32, cols: 32 }, systolic: true, macs_per_cycle: { f16: 1024, bf16: 1024, f32: 256 } },
  vector: { lanes: 32, ops_per_lane_per_cycle: 2, special_per_cycle: { exp: 4, erf: 4, tanh: 4, rsqrt: 4 } },
  memory: [{ name: 'sram', capacity_bytes: 512 * KiB, bandwidth_bytes_per_s: 256e9, per_core: true }],
  dram: { capacity_bytes: 4 * GiB, bandwidth_bytes_per_s: 25.6e9 },
  launch_overhead_s: 10e-6,
};

const WEBGPU_CLOCK_HZ = 1.5e9;

export const WEBGPU_GENERIC: Accelerator = {
  name: 'webgpu-generic',
  description:
    'A mid-range GPU reached through WebGPU, limited to the WebGPU spec\'s default limits. ' +
    'Twenty compute units at 1.5 GHz, f32 only, no matrix units.',
  sources: [
    'a representative mid-range discrete/integrated GPU, not one product: 20 compute units, 1.5 GHz, 64 f32 lanes per unit with FMA (3.84 TFLOP/s): assumptions.',
    'matrix: WebGPU exposes no matrix units, so GEMMs run on the shader lanes at the FMA rate (64 MACs/cycle/unit); f32 only because shader-f16 is optional ' +
      'and was absent on every device tried (/work/shared/docs/webgpu-on-cpu.md).',
    'matrix.array 64x64: the workgroup output tile of a simple tiled WGSL matmul (16x16 invocations, 4x4 outputs each); such a kernel reached about half of f32 peak on an H100 (webgpu-on-cpu.md), so GEMM estimates here are optimistic.',
    'special_per_cycle 16 per unit: assumption (quarter-rate transcendental units).',
    'memory workgroup: 16 KiB, the spec-default workgroup storage limit (hardware usually has more, a portable shader may not use it); bandwidth 128 B/cycle/unit, 3.84 TB/s: assumption.',
    'memory L2: 2 MiB at 500 GB/s: assumptions.',
    'dram: 200 GB/s, 8 GiB: assumptions typical of the class.',
    'launch_overhead_s 20 us: assumption (WebGPU dispatch through the browser or Dawn adds validation and a process hop).',
    'webgpu: the WebGPU spec default limits (webgpu-on-cpu.md): 16384 B workgroup storage, 256 invocations, 65535 workgroups per dimension, 8 storage buffers per stage, 128 MiB per binding.',
  ],
  clock_hz: WEBGPU_CLOCK_HZ,
  cores: 20,
  matrix: { array: { rows: 64, cols: 64 }, systolic: false, macs_per_cycle: { f32: 64 } },
  vector: { lanes: 64, ops_per_lane_per_cycle: 2, special_per_cycle: { exp: 16, erf: 16, tanh: 16, rsqrt: 16 } },
  memory: [
    { name: 'workgroup', capacity_bytes: 16 * KiB, bandwidth_bytes_per_s: 128 * 20 * WEBGPU_CLOCK_HZ, per_core: true },
    { name: 'L2', capacity_bytes: 2 * MiB, bandwidth_bytes_per_s: 500e9, per_core: false },
  ],
  dram: { capacity_bytes: 8 * GiB, bandwidth_bytes_per_s: 200e9 },
  launch_overhead_s: 20e-6,
  webgpu: WEBGPU_SPEC_DEFAULTS,
};

const HOST_CLOCK_HZ = 3.5e9;
const HOST_CORES = 2;

export const HOST_CPU: Accelerator = {
  name: 'host-cpu',
  description:
    'A reference x86 CPU for the C backend: 2 Zen 4 class cores with AVX-512, the machine bertc is developed and tested on. ' +
    'Clock and bandwidths are assumptions; `bertc calibrate` measures your machine into an accelerator file of its own.',
  sources: [
    'cores 2, L1d 32 KiB and L2 1 MiB per core, L3 32 MiB shared, avx512f and avx512_bf16: a 2-vCPU AMD EPYC 9004 (Zen 4) virtual machine, per lscpu.',
    'clock_hz 3.5 GHz: assumption (such VMs report a nominal 2.6 GHz in /proc/cpuinfo; the real clock is unknown); bertc calibrate measures it.',
    'macs_per_cycle f32 16 per core: Zen 4 executes AVX-512 as two 256-bit FMA pipes = 16 f32 FMAs per cycle.',
    'macs_per_cycle bf16 32 per core: VDPBF16PS (avx512_bf16) does two bf16 products per f32 lane, twice the f32 rate.',
    'matrix.array 8x32: an 8-row x 32-column (two 16-float vectors) register-blocked micro-kernel tile; systolic false.',
    'vector: 16 f32 lanes per core with FMA (same two 256-bit pipes).',
    'special_per_cycle: assumptions for vectorised polynomial approximations: exp 2, erf 1, tanh 1, rsqrt 4 per cycle per core.',
    'memory bandwidths: assumptions, 64 B/cycle/core from L1 (two 256-bit loads), 32 B/cycle/core from L2, 16 B/cycle/core from L3; not measured.',
    'dram: capacity 25,276,502,016 B, the reference VM\'s memory per free -b; bandwidth 25 GB/s is an assumption.',
    'launch_overhead_s 2 us: assumption (thread-pool fork/join per kernel).',
    'matrix.shared_pipelines: the GEMM micro-kernel, the elementwise work and the special-function polynomials all run on the same FMA pipes, one after the other.',
  ],
  clock_hz: HOST_CLOCK_HZ,
  cores: HOST_CORES,
  matrix: { array: { rows: 8, cols: 32 }, systolic: false, macs_per_cycle: { f32: 16, bf16: 32 }, shared_pipelines: true },
  vector: { lanes: 16, ops_per_lane_per_cycle: 2, special_per_cycle: { exp: 2, erf: 1, tanh: 1, rsqrt: 4 } },
  memory: [
    { name: 'L1', capacity_bytes: 32 * KiB, bandwidth_bytes_per_s: 64 * HOST_CORES * HOST_CLOCK_HZ, per_core: true },
    { name: 'L2', capacity_bytes: 1 * MiB, bandwidth_bytes_per_s: 32 * HOST_CORES * HOST_CLOCK_HZ, per_core: true },
    { name: 'L3', capacity_bytes: 32 * MiB, bandwidth_bytes_per_s: 16 * HOST_CORES * HOST_CLOCK_HZ, per_core: false },
  ],
  dram: { capacity_bytes: 25_276_502_016, bandwidth_bytes_per_s: 25e9 },
  launch_overhead_s: 2e-6,
};

/** The presets by name, in the order `bertc accel list` shows them. */
export const PRESETS: ReadonlyMap<string, Accelerator> = new Map(
  [H100, H100_PIM, TPU_V2_LIKE, EDGE_NPU, WEBGPU_GENERIC, HOST_CPU].map((a) => [a.name, a]),
);
