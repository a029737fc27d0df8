import { STUDY_CATEGORIES, type StudyRow } from './row.js';
import type { Study } from './run.js';

/**
 * A study as text, CSV and JSON (docs/studies.md); the HTML page is src/study/html.ts. CSV columns
 * are named by the JSON paths of the row fields they hold.
 */

const ms = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const mib = (b: number) => (b / 2 ** 20).toFixed(1);

function pointLabel(r: StudyRow): string {
  return Object.entries(r.point).map(([k, v]) => `${k}=${v}`).join(' ') || 'the model';
}

/** Columns of text (the first, and those named in `left`) align left, numbers right. */
function table(head: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = []): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 || left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

export function renderStudyText(st: Study): string {
  const m = st.model;
  const sets = Object.entries(m.sets).map(([k, v]) => ` ${k}=${v}`).join('');
  const what = m.step ? `training step (loss ${m.loss})` : 'forward pass';
  const lines = [`bertc study: ${m.file} --config ${m.config}${sets}, ${what}, ${st.rows.length} point${st.rows.length === 1 ? '' : 's'}`, ''];
  lines.push(
    ...table(
      ['point', 'accel', 'step ms', 'device ms', 'fwd ms', 'bwd ms', 'opt ms', 'comm ms', 'GB moved', 'act MiB', 'fused gain'],
      st.rows.map((r) => [
        pointLabel(r), r.accel, ms(r.predicted_ms), ms(r.device_ms), ms(r.phases.forward_ms), ms(r.phases.backward_ms), ms(r.phases.optimizer_ms), ms(r.phases.communication_ms),
        (r.bytes / 1e9).toFixed(2), mib(r.peak_activation_bytes), `${r.fused_gain.toFixed(2)}x`,
      ]),
    ),
  );
  lines.push('', 'Share of predicted time by category (launch overheads included)');
  lines.push(...table(['point', ...STUDY_CATEGORIES], st.rows.map((r) => [pointLabel(r), ...STUDY_CATEGORIES.map((c) => pct(r.categories[c].share))])));
  lines.push('', 'Share of device time by category (launch overheads left out, as a profiler sums kernel times)');
  lines.push(...table(['point', ...STUDY_CATEGORIES], st.rows.map((r) => [pointLabel(r), ...STUDY_CATEGORIES.map((c) => pct(r.categories[c].device_share))])));
  lines.push('', 'Bound of each category (the bound of most of its time)');
  lines.push(...table(['point', ...STUDY_CATEGORIES], st.rows.map((r) => [pointLabel(r), ...STUDY_CATEGORIES.map((c) => r.categories[c].bound)])));
  const distributed = st.rows.filter((r) => r.replicas > 1 || r.micro_batches > 1);
  if (distributed.length) {
    lines.push('', 'Data parallelism and micro-batching (ring all-reduce of the gradients, overlapping the last backward)');
    lines.push(
      ...table(
        ['point', 'replicas', 'micro-batches', 'rows/micro-batch', 'gradient MB', 'all-reduce ms', 'exposed ms', 'accumulate ms'],
        distributed.map((r) => [pointLabel(r), String(r.replicas), String(r.micro_batches), String(r.batch ?? '-'), (r.allreduce.gradient_bytes / 1e6).toFixed(1), ms(r.allreduce.ms), ms(r.allreduce.exposed_ms), ms(r.phases.accumulate_ms)]),
      ),
    );
  }
  const near = st.rows.filter((r) => r.near_memory);
  if (near.length) {
    lines.push('', 'Near-memory units (a kernel runs there exactly when it is predicted faster there)');
    lines.push(...table(['point', 'accel', 'eligible kernels', 'placed near memory', 'saved ms'], near.map((r) => [pointLabel(r), r.accel, String(r.near_memory!.eligible), String(r.near_memory!.placed), ms(r.near_memory!.saved_ms)])));
  }
  lines.push('', 'GEMM shapes of the first point (efficiency and why it falls short of peak)');
  const first = st.rows[0];
  if (first) {
    lines.push(
      ...table(
        ['category', 'batch x m x n x k', 'dtype', 'count', 'of peak', 'short of peak because'],
        first.gemm_shapes.map((g) => [g.category, `${g.batch} x ${g.m} x ${g.n} x ${g.k}`, g.dtype, String(g.count), pct(g.fraction_of_peak), g.reasons.join('; ') || '-']),
        [5],
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderStudyJson(st: Study): string {
  return `${JSON.stringify(st, null, 2)}\n`;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Swept keys that are columns of the setting anyway; a header names each column once. */
const SETTING_KEYS = new Set(['accel', 'config', 'precision', 'level', 'micro-batch', 'replicas']);

export function renderStudyCsv(st: Study): string {
  const keys = st.axes.map((a) => a.key).filter((k) => !SETTING_KEYS.has(k));
  const head = [
    ...keys, 'accel', 'config', 'precision', 'level', 'micro_batches', 'replicas', 'predicted_ms', 'device_ms',
    'phases.forward_ms', 'phases.backward_ms', 'phases.optimizer_ms', 'phases.accumulate_ms', 'phases.communication_ms', 'kernels', 'flops', 'bytes', 'peak_activation_bytes', 'fused_gain', 'allreduce.ms',
    ...STUDY_CATEGORIES.flatMap((c) => [`categories.${c}.ms`, `categories.${c}.share`, `categories.${c}.device_share`, `categories.${c}.bound`]),
  ];
  const rows = st.rows.map((r) => [
    ...keys.map((k) => r.point[k]!), r.accel, r.config, r.precision, r.level, r.micro_batches, r.replicas, r.predicted_ms, r.device_ms,
    r.phases.forward_ms, r.phases.backward_ms, r.phases.optimizer_ms, r.phases.accumulate_ms, r.phases.communication_ms, r.kernels, r.flops, r.bytes, r.peak_activation_bytes, r.fused_gain, r.allreduce.ms,
    ...STUDY_CATEGORIES.flatMap((c) => [r.categories[c].ms, r.categories[c].share, r.categories[c].device_share, r.categories[c].bound]),
  ]);
  return [head, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
