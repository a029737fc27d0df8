import { totalFlops } from '../cost/flops.js';
import { OPTIMIZER_SCOPE } from '../ir/adamw.js';
import { carriesGradient, isBackward } from '../ir/autodiff.js';
import { describeOrigins } from '../ir/node.js';
import { kernelsOf, type Kernel, type KernelKind } from './kernels.js';
import type { FusionDecision, Module } from './module.js';

export interface KernelStats {
  readonly name: string;
  readonly kind: KernelKind;
  readonly pattern: string;
  readonly flops: number;
  readonly flops_detail: { readonly matrix: number; readonly vector: number; readonly special: number };
  readonly bytes_read: number;
  readonly bytes_written: number;
  /** Where the ops come from: `file:line:col` in source order, then origins without a span. */
  readonly source: readonly string[];
  readonly layers: readonly string[];
  /** Which part of a training step the kernel belongs to; every kernel of a forward pass is 'forward'. */
  readonly phase: Phase;
}

export const PHASES = ['forward', 'backward', 'optimizer'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The optimizer's nodes carry its scope; the backward's are marked by autodiff (Meta.backward). A
 * kernel that computes a gradient is backward work; so is one of backward nodes only (a value
 * recomputed for the backward). A forward kernel that also stores what the backward recomputes
 * from it (layernorm's row statistics) stays forward.
 */
export function phaseOf(k: Kernel): Phase {
  if (k.scopes.includes(OPTIMIZER_SCOPE)) return 'optimizer';
  return k.ops.some(carriesGradient) || k.ops.every(isBackward) ? 'backward' : 'forward';
}

export interface Totals {
  readonly kernels: number;
  readonly flops: number;
  readonly bytes_read: number;
  readonly bytes_written: number;
}

export interface ModuleStats {
  readonly kernels: readonly KernelStats[];
  readonly totals: Totals;
  /** Kernels that run once when weights are loaded (not per forward pass), and their totals. */
  readonly init: { readonly kernels: readonly KernelStats[]; readonly totals: Totals };
}

function statsOf(k: Kernel): KernelStats {
  return {
    name: k.name,
    kind: k.kind,
    pattern: k.pattern,
    flops: totalFlops(k.flops),
    flops_detail: k.flops,
    bytes_read: k.bytesRead,
    bytes_written: k.bytesWritten,
    source: describeOrigins(k.ops),
    layers: k.scopes.filter(Boolean),
    phase: phaseOf(k),
  };
}

/** The kernel count and the sums of `fields` over per-kernel rows: the totals of stats and of the report alike. */
export function totalsOver<T extends Record<K, number>, K extends string>(rows: readonly T[], fields: readonly K[]): { kernels: number } & Record<K, number> {
  const sums = Object.fromEntries(fields.map((f) => [f, rows.reduce((s, r) => s + r[f], 0)])) as Record<K, number>;
  return { kernels: rows.length, ...sums };
}

export function totalsOf(ks: readonly KernelStats[]): Totals {
  return totalsOver(ks, ['flops', 'bytes_read', 'bytes_written']);
}

/** Per-kernel statistics; `scope` keeps only kernels all of whose ops lie under that layer path. */
export function moduleStats(m: Module, scope?: string): ModuleStats {
  const under = (k: Kernel) => !scope || k.scopes.every((s) => s === scope || s.startsWith(`${scope}.`));
  const all = kernelsOf(m).filter(under);
  const run = all.filter((k) => !k.init).map(statsOf);
  const init = all.filter((k) => k.init).map(statsOf);
  return { kernels: run, totals: totalsOf(run), init: { kernels: init, totals: totalsOf(init) } };
}

const mb = (b: number) => (b / 1e6).toFixed(3);
const gflop = (f: number) => (f / 1e9).toFixed(4);

export function formatStats(s: ModuleStats): string {
  const nameW = Math.max(6, ...s.kernels.map((k) => k.name.length));
  const head = `${'kernel'.padEnd(nameW)}  ${'kind'.padEnd(13)} ${'GFLOP'.padStart(10)} ${'read MB'.padStart(10)} ${'write MB'.padStart(10)}  layers`;
  const rows = s.kernels.map((k) => `${k.name.padEnd(nameW)}  ${k.kind.padEnd(13)} ${gflop(k.flops).padStart(10)} ${mb(k.bytes_read).padStart(10)} ${mb(k.bytes_written).padStart(10)}  ${k.layers.join(', ')}`);
  const t = s.totals;
  const lines = [head, ...rows, `totals: ${t.kernels} kernels, ${gflop(t.flops)} GFLOP, ${mb(t.bytes_read)} MB read, ${mb(t.bytes_written)} MB written`];
  if (s.init.kernels.length) {
    const i = s.init.totals;
    lines.push(`at load: ${i.kernels} weight-transform kernels (${s.init.kernels.map((k) => k.name).join(', ')}), ${mb(i.bytes_read)} MB read, ${mb(i.bytes_written)} MB written`);
  }
  return `${lines.join('\n')}\n`;
}

/** The fusion report: every candidate with its verdict, rule and bytes, then totals per pass. */
export function formatFusionReport(ds: readonly FusionDecision[]): string {
  const lines = ['fusion report (bytes: DRAM traffic the fusion saves, or would have saved)'];
  for (const d of ds) {
    lines.push(`  ${d.fused ? 'fused   ' : 'rejected'} ${d.pass}/${d.rule}  ${mb(d.bytes)} MB  ${d.producer}  ->  ${d.consumer}${d.detail ? `  (${d.detail})` : ''}`);
  }
  const passes = [...new Set(ds.map((d) => d.pass))];
  for (const p of passes) {
    const mine = ds.filter((d) => d.pass === p);
    const fused = mine.filter((d) => d.fused);
    lines.push(`${p}: ${fused.length} fused (${mb(fused.reduce((s, d) => s + d.bytes, 0))} MB saved), ${mine.length - fused.length} rejected (${mb(mine.filter((d) => !d.fused).reduce((s, d) => s + d.bytes, 0))} MB left)`);
  }
  if (!ds.length) lines.push('  no fusion candidates (the pipeline has no fusion pass)');
  return `${lines.join('\n')}\n`;
}
