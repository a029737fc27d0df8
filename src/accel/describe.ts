import { peakMatrixFlops, peakVectorFlops, type Accelerator, type MemoryLevel } from './accelerator.js';
import { PRESETS } from './presets.js';
import { MATRIX_DTYPES, SPECIAL_FUNCTIONS } from './validate.js';

// Text for `bertc accel show` and `bertc accel list`. Numbers keep 3 significant digits: the inputs
// are rarely known better than that.

function sig3(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** A rate or count with an SI prefix: 51.7 TFLOP/s, 3 TB/s. */
export function si(x: number, unit: string): string {
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  // Compare the rounded value so that 999.7 becomes "1 k", not "1000".
  while (Number(x.toPrecision(3)) >= 1000 && i < prefixes.length - 1) {
    x /= 1000;
    i++;
  }
  return `${sig3(x)} ${prefixes[i]}${unit}`;
}

/** A capacity in binary units, the way memories are sized: 228 KiB, 50 MiB. */
export function binaryBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${sig3(n)} ${units[i]}`;
}

export function duration(s: number): string {
  if (s >= 1) return `${sig3(s)} s`;
  if (s >= 1e-3) return `${sig3(s * 1e3)} ms`;
  if (s >= 1e-6) return `${sig3(s * 1e6)} us`;
  return `${sig3(s * 1e9)} ns`;
}

function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(text);
  return (m ? m[0] : text).replace(/\s+/g, ' ');
}

function memoryLine(a: Accelerator, l: MemoryLevel): string {
  const size = l.per_core
    ? `${binaryBytes(l.capacity_bytes)} per core (${binaryBytes(l.capacity_bytes * a.cores)} in all)`
    : `${binaryBytes(l.capacity_bytes)} shared`;
  return `${size}, ${si(l.bandwidth_bytes_per_s, 'B/s')}`;
}

/** Label/value rows, labels padded to one column. */
function table(rows: readonly (readonly [string, string])[], indent = ''): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}${value}`);
}

export function describeAccelerator(a: Accelerator): string {
  const m = a.matrix;
  // Peak rates padded to one width so their per-cycle figures line up.
  const dts = MATRIX_DTYPES.filter((dt) => m.macs_per_cycle[dt] !== undefined);
  const peaks = [...dts.map((dt) => si(peakMatrixFlops(a, dt)!, 'FLOP/s')), si(peakVectorFlops(a), 'FLOP/s')];
  const pw = Math.max(...peaks.map((p) => p.length)) + 2;
  const dtypes = dts.map((dt, i): [string, string] => [dt, `${peaks[i]!.padEnd(pw)}(${m.macs_per_cycle[dt]} MAC/cycle/core)`]);
  const vector = `${peaks[peaks.length - 1]!.padEnd(pw)}(${a.vector.lanes} lanes x ${a.vector.ops_per_lane_per_cycle} FLOP/cycle/core)`;
  const special = SPECIAL_FUNCTIONS.map((fn) => `${fn} ${si(a.vector.special_per_cycle[fn] * a.clock_hz * a.cores, '/s')}`).join(', ');
  const f32 = peakMatrixFlops(a, 'f32');
  // The ridge point of the roofline: kernels doing fewer FLOPs per DRAM byte are memory-bound.
  const balance = f32 === undefined ? 'f32 not supported by the matrix unit' : `${sig3(f32 / a.dram.bandwidth_bytes_per_s)} FLOP per DRAM byte at the f32 matrix peak`;
  const w = a.webgpu;
  const webgpu = w
    ? `${binaryBytes(w.max_workgroup_storage_bytes)} workgroup storage, ${w.max_invocations_per_workgroup} invocations/workgroup, ` +
      `${w.max_workgroups_per_dimension} workgroups/dimension, ${w.max_storage_buffers_per_stage} storage buffers/stage, ` +
      `${binaryBytes(w.max_storage_buffer_binding_bytes)}/binding`
    : 'none (not a WebGPU target)';
  const lines = [
    `${a.name}: ${a.description.replace(/\s+/g, ' ')}`,
    '',
    ...table([
      ['clock', `${si(a.clock_hz, 'Hz')} x ${a.cores} core${a.cores === 1 ? '' : 's'}`],
      ['matrix', `${m.array.rows}x${m.array.cols} tile per core, ${m.systolic ? 'systolic' : 'not systolic'}${m.efficiency === undefined ? '' : `, ${sig3(100 * m.efficiency)}% of peak sustained`}${m.shared_pipelines ? ', shares the vector pipelines' : ''}${m.pack_elements_per_s === undefined ? '' : `, packs ${sig3(m.pack_elements_per_s / 1e9)} G elements/s`}`],
      ...dtypes.map(([dt, v]): [string, string] => [`  ${dt}`, v]),
      ['vector', vector],
      ['special', special],
      ['memory', `${a.memory.length} on-chip level${a.memory.length === 1 ? '' : 's'}, innermost first`],
      ...a.memory.map((l): [string, string] => [`  ${l.name}`, memoryLine(a, l)]),
      ['dram', `${binaryBytes(a.dram.capacity_bytes)}, ${si(a.dram.bandwidth_bytes_per_s, 'B/s')}${a.dram.stream_bandwidth_bytes_per_s === undefined ? '' : `; row kernels ${si(a.dram.stream_bandwidth_bytes_per_s, 'B/s')}`}`],
      ['balance', balance],
      ['launch', `${duration(a.launch_overhead_s)} per kernel`],
      ['webgpu', webgpu],
      ['near memory', a.near_memory ? `${si(a.near_memory.bandwidth_bytes_per_s, 'B/s')}, ${duration(a.near_memory.handoff_s)} hand-off; ${Object.entries(a.near_memory.flops_per_s).map(([c, r]) => `${c} ${si(r, 'FLOP/s')}`).join(', ')}` : 'none'],
      ['interconnect', a.interconnect ? `${si(a.interconnect.bandwidth_bytes_per_s, 'B/s')} each way, ${duration(a.interconnect.latency_s)} per ring step` : 'none (one device)'],
    ]),
    'sources',
    ...a.sources.map((s) => `  - ${s}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function listAccelerators(): string {
  const rows = [...PRESETS.values()].map((a) => {
    const f32 = peakMatrixFlops(a, 'f32');
    return [a.name, f32 === undefined ? 'f32 unsupported' : `f32 ${si(f32, 'FLOP/s')}`, `DRAM ${si(a.dram.bandwidth_bytes_per_s, 'B/s')}`, firstSentence(a.description)];
  });
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)) + 2);
  return rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('')).join('\n') + '\n';
}
