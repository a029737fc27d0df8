import type { Report, TileJson } from './build.js';

/** Renders the report as a plain-text or Markdown document; both come from the same tables. */

export const fmt = {
  us: (s: number) => (s * 1e6).toFixed(2),
  ms: (s: number) => (s * 1e3).toFixed(3),
  mb: (b: number) => (b / 1e6).toFixed(3),
  gflop: (f: number) => (f / 1e9).toFixed(3),
  pct: (x: number) => `${(x * 100).toFixed(1)}%`,
  tflops: (f: number) => (f / 1e12).toFixed(2),
};

type Table = { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly right?: readonly number[] };

function textTable(t: Table): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i]!.length)));
  const cell = (s: string, i: number) => (t.right?.includes(i) ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  return [t.head.map(cell).join('  ').trimEnd(), ...t.rows.map((r) => r.map(cell).join('  ').trimEnd())].join('\n');
}

function mdTable(t: Table): string {
  const align = t.head.map((_, i) => (t.right?.includes(i) ? '---:' : '---'));
  const row = (r: readonly string[]) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [row(t.head), row(align), ...t.rows.map(row)].join('\n');
}

export function tileText(t: TileJson): string {
  return `${t.level} ${t.m}x${t.n}x${t.k} ${t.order}`;
}

export function reportTables(r: Report): { title: string; table: Table; note?: string }[] {
  const kernels: Table = {
    head: ['kernel', 'category', 'GFLOP', 'MB', 'FLOP/B', 'compute us', 'memory us', 'predicted us', 'bound', 'util', 'tiles', 'layer', 'source'],
    right: [2, 3, 4, 5, 6, 7, 9],
    rows: r.kernels.map((k) => [
      k.name, k.category, fmt.gflop(k.flops), fmt.mb(k.bytes), k.intensity.toFixed(1), fmt.us(k.compute_s), fmt.us(k.memory_s), fmt.us(k.predicted_s), k.bound,
      k.gemm ? fmt.pct(k.utilization) : '', k.gemm ? k.gemm.tiles.map(tileText).join(', ') : '', k.layers[0] ?? '', k.source[0] ?? '',
    ]),
  };
  const categories: Table = {
    head: ['category', 'kernels', 'predicted ms', 'share'],
    right: [1, 2, 3],
    rows: r.categories.filter((c) => c.kernels).map((c) => [c.category, String(c.kernels), fmt.ms(c.predicted_s), fmt.pct(c.share)]),
  };
  const phases: Table | undefined = r.phases && {
    head: ['phase', 'kernels', 'predicted ms', 'share'],
    right: [1, 2, 3],
    rows: r.phases.map((p) => [p.phase, String(p.kernels), fmt.ms(p.predicted_s), fmt.pct(p.share)]),
  };
  const recompute: Table | undefined = r.recompute && {
    head: ['policy', 'kept tensors', 'kept MB', 'kernels', 'MB moved', 'predicted ms', ''],
    right: [1, 2, 3, 4, 5],
    rows: r.recompute.map((p) => [p.policy, String(p.kept_tensors), fmt.mb(p.kept_bytes), String(p.kernels), fmt.mb(p.bytes), fmt.ms(p.predicted_s), p.used ? '(this plan)' : '']),
  };
  const passes: Table = {
    head: ['after', 'kernels', 'GFLOP', 'MB moved', 'predicted ms'],
    right: [1, 2, 3, 4],
    rows: r.passes.map((p) => [p.after, String(p.kernels), fmt.gflop(p.flops), fmt.mb(p.bytes), fmt.ms(p.predicted_s)]),
  };
  const shapes: Table = {
    head: ['category', 'batch x m x n x k', 'count', 'predicted ms', 'of peak', 'short of peak because'],
    right: [2, 3, 4],
    rows: r.gemm_shapes.map((g) => [g.category, `${g.batch} x ${g.m} x ${g.n} x ${g.k}`, String(g.count), fmt.ms(g.predicted_s), fmt.pct(g.fraction_of_peak), g.reasons.join('; ') || '-']),
  };
  const memoryBound = r.categories.filter((c) => c.category !== 'gemm' && c.category !== 'attention-gemm').reduce((s, c) => s + c.share, 0);
  const near = nearMemoryTable(r);
  const speedup = r.unfused.predicted_s / r.totals.predicted_s;
  return [
    { title: 'Kernels', table: kernels },
    { title: 'Time by category', table: categories, note: `memory-bound (non-GEMM) share: ${fmt.pct(memoryBound)}` },
    ...(phases ? [{ title: 'Time by phase of the training step', table: phases }] : []),
    ...(recompute ? [{ title: 'Save or recompute: what the forward keeps for the backward', table: recompute, note: 'kept: tensors forward kernels store that backward kernels read (the recompute pass, docs/autodiff.md)' }] : []),
    {
      title: 'Effect of each pass',
      table: passes,
      note: `unfused -> fused: ${r.unfused.kernels} -> ${r.totals.kernels} kernels, ${fmt.mb(r.unfused.bytes)} -> ${fmt.mb(r.totals.bytes)} MB, ${fmt.ms(r.unfused.predicted_s)} -> ${fmt.ms(r.totals.predicted_s)} ms (${speedup.toFixed(2)}x)`,
    },
    { title: 'GEMM shapes', table: shapes },
    ...(near ? [{ title: 'Near-memory placement', table: near, note: 'a kernel runs near memory exactly when its predicted time there (hand-off included) is below its time on the main array' }] : []),
  ];
}

/** Per category, the kernels the near-memory units could run, those placed there and the time each choice predicts. */
function nearMemoryTable(r: Report): Table | undefined {
  const eligible = r.kernels.filter((k) => k.near_memory);
  if (!eligible.length) return undefined;
  const cats = [...new Set(eligible.map((k) => k.category))];
  return {
    head: ['category', 'kernels', 'placed near memory', 'main-array ms', 'near-memory ms', 'chosen ms'],
    right: [1, 2, 3, 4, 5],
    rows: cats.map((c) => {
      const mine = eligible.filter((k) => k.category === c);
      const sum = (f: (k: (typeof mine)[number]) => number) => fmt.ms(mine.reduce((s, k) => s + f(k), 0));
      return [c, String(mine.length), String(mine.filter((k) => k.near_memory!.placed).length), sum((k) => k.near_memory!.main_s), sum((k) => k.near_memory!.near_s), sum((k) => k.predicted_s)];
    }),
  };
}

function header(r: Report): string[] {
  const sets = Object.entries(r.model.sets).map(([k, v]) => ` ${k}=${v}`).join('');
  const a = r.accelerator;
  return [
    `bertc cost report: ${r.model.file} --config ${r.model.config}${sets}${r.model.train ? ' (training-mode forward)' : ' (inference)'}`,
    `accelerator ${a.name}: ${fmt.tflops(a.peak_matrix_flops)} TFLOP/s matrix, ${fmt.tflops(a.peak_vector_flops)} TFLOP/s vector, ${(a.dram_bytes_per_s / 1e9).toFixed(1)} GB/s DRAM, ${fmt.us(a.launch_overhead_s)} us launch`,
    `pipeline: ${r.model.pipeline}`,
    `total: ${r.totals.kernels} kernels, ${fmt.gflop(r.totals.flops)} GFLOP, ${fmt.mb(r.totals.bytes)} MB, predicted ${fmt.ms(r.totals.predicted_s)} ms`,
  ];
}

export function renderText(r: Report): string {
  const parts = [header(r).join('\n')];
  for (const s of reportTables(r)) parts.push(`${s.title}\n${textTable(s.table)}${s.note ? `\n${s.note}` : ''}`);
  return `${parts.join('\n\n')}\n`;
}

/** What `bertc compile` prints: the header, the time by category and what fusion bought. */
export function renderSummary(r: Report): string {
  const tables = reportTables(r);
  const categories = tables.find((t) => t.title === 'Time by category');
  const passes = tables.find((t) => t.title === 'Effect of each pass');
  return `${header(r).join('\n')}\n\n${categories!.title}\n${textTable(categories!.table)}\n${categories!.note}\n${passes!.note}\n`;
}

export function renderMarkdown(r: Report): string {
  const [title, ...rest] = header(r);
  const parts = [`# ${title}`, rest.map((l) => `- ${l}`).join('\n')];
  for (const s of reportTables(r)) parts.push(`## ${s.title}\n\n${mdTable(s.table)}${s.note ? `\n\n${s.note}` : ''}`);
  return `${parts.join('\n\n')}\n`;
}
