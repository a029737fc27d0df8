import { STUDY_CATEGORIES, type StudyCategory, type StudyRow } from './row.js';
import type { Study } from './run.js';

/**
 * A study as one self-contained HTML page (inline CSS and SVG, no scripts, no network): the
 * category shares of every point stacked against the swept values, the roofline with one point per
 * GEMM shape, and peak activation memory against the batch, then the rows as a table. Every plot
 * is an `svg.plot` with an x and a y axis (`g.axis`), their labels (`text.axis-label`) and one
 * `g.series` per series, which the browser test counts.
 */

const COLORS: Readonly<Record<StudyCategory, string>> = {
  'gemm-dense': '#1f77b4',
  'gemm-attention': '#17becf',
  softmax: '#ff7f0e',
  layernorm: '#2ca02c',
  gelu: '#d62728',
  dropout: '#9467bd',
  casts: '#bcbd22',
  optimizer: '#e377c2',
  communication: '#000000',
  other: '#8c564b',
};

const SERIES_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = 760;
const H = 380;
const PAD = { l: 74, r: 190, t: 16, b: 64 };
const plotW = W - PAD.l - PAD.r;
const plotH = H - PAD.t - PAD.b;

function label(r: StudyRow): string {
  return Object.entries(r.point).map(([k, v]) => `${k}=${v}`).join(' ') || 'the model';
}

/** A log scale over [lo, hi] padded to whole decades, onto [a, b]. */
function logScale(lo: number, hi: number, a: number, b: number): { at: (v: number) => number; decades: number[] } {
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.max(e0 + 1, Math.ceil(Math.log10(hi)));
  const at = (v: number) => a + ((Math.log10(v) - e0) / (e1 - e0)) * (b - a);
  return { at, decades: Array.from({ length: e1 - e0 + 1 }, (_, i) => e0 + i) };
}

function frame(id: string, title: string, xLabel: string, yLabel: string, xTicks: string, yTicks: string, body: string, legend: string): string {
  const bottom = H - PAD.b;
  return `<svg id="${id}" class="plot" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="11" font-family="sans-serif" role="img" aria-label="${esc(title)}">
<rect x="${PAD.l}" y="${PAD.t}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="none"/>
${body}
<g class="axis x"><line x1="${PAD.l}" y1="${bottom}" x2="${PAD.l + plotW}" y2="${bottom}" stroke="#333"/>${xTicks}</g>
<g class="axis y"><line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${bottom}" stroke="#333"/>${yTicks}</g>
<text class="axis-label x" x="${PAD.l + plotW / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>
<text class="axis-label y" x="16" y="${PAD.t + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${PAD.t + plotH / 2})">${esc(yLabel)}</text>
<g class="legend">${legend}</g>
</svg>`;
}

function legendEntry(i: number, color: string, text: string, dot = false): string {
  const x = PAD.l + plotW + 14;
  const y = PAD.t + 6 + i * 17;
  const mark = dot ? `<circle cx="${x + 6}" cy="${y + 6}" r="4" fill="${color}"/>` : `<rect x="${x}" y="${y}" width="12" height="12" fill="${color}"/>`;
  return `${mark}<text x="${x + 18}" y="${y + 10}">${esc(text)}</text>`;
}

/** Stacked bars of the category shares, one bar per point, one series per category. */
function sharesPlot(st: Study): string {
  const rows = st.rows;
  const band = plotW / rows.length;
  const bar = Math.min(60, band * 0.7);
  const y = (share: number) => PAD.t + plotH * (1 - share);
  const below = rows.map(() => 0);
  const series = STUDY_CATEGORIES.map((c) => {
    const rects = rows.map((r, i) => {
      const s = r.categories[c].share;
      const top = y(below[i]! + s);
      const rect = `<rect class="share" x="${(PAD.l + band * i + (band - bar) / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(below[i]!) - top).toFixed(1)}" fill="${COLORS[c]}"><title>${esc(label(r))}: ${c} ${(100 * s).toFixed(1)}% (${r.categories[c].ms.toFixed(3)} ms, ${r.categories[c].bound})</title></rect>`;
      below[i]! += s;
      return rect;
    });
    return `<g class="series" data-series="${c}">${rects.join('')}</g>`;
  });
  const xTicks = rows.map((r, i) => {
    const x = PAD.l + band * (i + 0.5);
    // One line per swept key, so that the labels of neighbouring bars do not run into each other.
    const lines = Object.entries(r.point).map(([k, v], j) => `<tspan x="${x}" dy="${j ? 12 : 0}">${esc(`${k}=${v}`)}</tspan>`).join('') || 'the model';
    return `<line x1="${x}" y1="${H - PAD.b}" x2="${x}" y2="${H - PAD.b + 5}" stroke="#333"/><text x="${x}" y="${H - PAD.b + 16}" text-anchor="middle">${lines}</text>`;
  });
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((s) => `<line x1="${PAD.l - 5}" y1="${y(s)}" x2="${PAD.l}" y2="${y(s)}" stroke="#333"/><text x="${PAD.l - 8}" y="${y(s) + 4}" text-anchor="end">${100 * s}%</text>`);
  const keys = st.axes.map((a) => a.key).join(', ') || 'point';
  const legend = [...STUDY_CATEGORIES].reverse().map((c, i) => legendEntry(i, COLORS[c], c));
  return frame('shares', 'share of step time by category', `swept: ${keys}`, 'share of predicted step time', xTicks.join(''), yTicks.join(''), series.join('\n'), legend.join(''));
}

/** Attained FLOP/s against FLOP per DRAM byte for every GEMM shape of every point, under the roofs of the first point's accelerator. */
function rooflinePlot(st: Study, roofs: readonly { readonly name: string; readonly matrix: number; readonly dram: number }[]): string {
  const shapes = st.rows.flatMap((r, ri) => r.gemm_shapes.filter((g) => g.bytes > 0 && g.predicted_s > 0).map((g) => ({ r, ri, g, x: g.flops / g.bytes, y: g.flops / g.predicted_s })));
  const peak = Math.max(...roofs.map((a) => a.matrix));
  const xs = [...shapes.map((p) => p.x), ...roofs.map((a) => a.matrix / a.dram)];
  const ys = [...shapes.map((p) => p.y), peak];
  const sx = logScale(Math.min(...xs) / 2, Math.max(...xs) * 4, PAD.l, PAD.l + plotW);
  const sy = logScale(Math.min(...ys) / 2, peak * 1.5, H - PAD.b, PAD.t);
  const x0 = 10 ** sx.decades[0]!;
  const x1 = 10 ** sx.decades[sx.decades.length - 1]!;
  const y0 = 10 ** sy.decades[0]!;
  const roofLines = roofs.map((a, i) => {
    const knee = a.matrix / a.dram;
    const pts = [[Math.max(x0, y0 / a.dram), Math.max(y0, x0 * a.dram)], [knee, a.matrix], [x1, a.matrix]];
    return `<polyline class="roof" points="${pts.map(([x, y]) => `${sx.at(x!).toFixed(1)},${sy.at(y!).toFixed(1)}`).join(' ')}" fill="none" stroke="#555" stroke-dasharray="${i ? '4 3' : ''}" stroke-width="1.5"><title>${esc(a.name)}: ${(a.matrix / 1e12).toFixed(1)} TFLOP/s, ${(a.dram / 1e9).toFixed(0)} GB/s</title></polyline>` +
      `<text class="roof-label" x="${(PAD.l + plotW - 4).toFixed(1)}" y="${(sy.at(a.matrix) - 4).toFixed(1)}" text-anchor="end">${esc(a.name)} roof</text>`;
  });
  const groups = [...new Set(shapes.map((p) => p.g.category))];
  const series = groups.map((cat) => {
    const color = COLORS[cat === 'gemm' ? 'gemm-dense' : 'gemm-attention'];
    const dots = shapes.filter((p) => p.g.category === cat).map(({ r, g, x, y }) =>
      `<circle class="shape" cx="${sx.at(x).toFixed(1)}" cy="${sy.at(y).toFixed(1)}" r="4" fill="${color}" fill-opacity="0.7"><title>${esc(label(r))}: ${g.batch}x${g.m}x${g.n}x${g.k} ${g.dtype}, ${(100 * g.fraction_of_peak).toFixed(1)}% of peak${g.reasons.length ? `: ${esc(g.reasons.join('; '))}` : ''}</title></circle>`);
    return `<g class="series" data-series="${cat}">${dots.join('')}</g>`;
  });
  const xTicks = sx.decades.map((e) => `<line x1="${sx.at(10 ** e)}" y1="${H - PAD.b}" x2="${sx.at(10 ** e)}" y2="${H - PAD.b + 5}" stroke="#333"/><text x="${sx.at(10 ** e)}" y="${H - PAD.b + 18}" text-anchor="middle">1e${e}</text>`);
  const yTicks = sy.decades.map((e) => `<line x1="${PAD.l - 5}" y1="${sy.at(10 ** e)}" x2="${PAD.l}" y2="${sy.at(10 ** e)}" stroke="#333"/><text x="${PAD.l - 8}" y="${sy.at(10 ** e) + 4}" text-anchor="end">1e${e}</text>`);
  const legend = groups.map((cat, i) => legendEntry(i, COLORS[cat === 'gemm' ? 'gemm-dense' : 'gemm-attention'], cat === 'gemm' ? 'dense GEMM shapes' : 'attention GEMM shapes', true));
  return frame('roofline', 'roofline of the GEMM shapes', 'arithmetic intensity (FLOP per DRAM byte)', 'attained FLOP/s', xTicks.join(''), yTicks.join(''), `${roofLines.join('\n')}\n${series.join('\n')}`, legend.join(''));
}

/** Peak activation memory against the rows one device computes per micro-batch; one series per accelerator and precision. */
function memoryPlot(st: Study): string {
  const pts = st.rows.flatMap((r) => (r.batch === undefined ? [] : [{ r, x: r.batch, y: r.peak_activation_bytes / 2 ** 30, key: `${r.accel} ${r.precision}` }]));
  const keys = [...new Set(pts.map((p) => p.key))];
  const xStep = niceStep(Math.max(1, ...pts.map((p) => p.x)) / 4);
  const yStep = niceStep(Math.max(0, ...pts.map((p) => p.y)) / 4 || 0.25);
  const xMax = Math.ceil((Math.max(1, ...pts.map((p) => p.x)) * 1.05) / xStep) * xStep;
  const yMax = Math.ceil((Math.max(0, ...pts.map((p) => p.y)) * 1.05) / yStep) * yStep || yStep;
  const sx = (x: number) => PAD.l + (x / xMax) * plotW;
  const sy = (y: number) => H - PAD.b - (y / yMax) * plotH;
  const series = keys.map((key, i) => {
    const mine = pts.filter((p) => p.key === key).sort((a, b) => a.x - b.x);
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const line = mine.length > 1 ? `<polyline points="${mine.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}" fill="none" stroke="${color}"/>` : '';
    const dots = mine.map((p) => `<circle class="memory" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="${color}"><title>${esc(label(p.r))}: ${p.y.toFixed(2)} GiB at ${p.x} rows</title></circle>`);
    return `<g class="series" data-series="${esc(key)}">${line}${dots.join('')}</g>`;
  });
  const ticks = (max: number, step: number) => Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  const digits = (step: number) => Math.max(0, -Math.floor(Math.log10(step)));
  const xTicks = ticks(xMax, xStep).map((x) => `<line x1="${sx(x)}" y1="${H - PAD.b}" x2="${sx(x)}" y2="${H - PAD.b + 5}" stroke="#333"/><text x="${sx(x)}" y="${H - PAD.b + 18}" text-anchor="middle">${x.toFixed(digits(xStep))}</text>`);
  const yTicks = ticks(yMax, yStep).map((y) => `<line x1="${PAD.l - 5}" y1="${sy(y)}" x2="${PAD.l}" y2="${sy(y)}" stroke="#333"/><text x="${PAD.l - 8}" y="${sy(y) + 4}" text-anchor="end">${y.toFixed(digits(yStep))}</text>`);
  const legend = keys.map((k, i) => legendEntry(i, SERIES_COLORS[i % SERIES_COLORS.length]!, k, true));
  return frame('memory', 'peak activation memory against batch', 'batch rows per device and micro-batch', 'peak activation memory (GiB)', xTicks.join(''), yTicks.join(''), series.join('\n'), legend.join(''));
}

/** 1, 2 or 5 times a power of ten, at least `raw`: a tick spacing people read at a glance. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw)!;
}

function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], numeric: (i: number) => boolean): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric(i) ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}

/** Every GEMM shape of the first point with its efficiency and the reasons it falls short. */
function gemmTable(st: Study): string {
  const first = st.rows[0];
  if (!first) return '';
  const rows = first.gemm_shapes.map((g) => [g.category, `${g.batch} x ${g.m} x ${g.n} x ${g.k}`, g.dtype, String(g.count), `${(100 * g.fraction_of_peak).toFixed(1)}%`, g.reasons.join('; ') || '-']);
  return `<h2>GEMM shapes of ${esc(label(first))}</h2>\n${htmlTable(['class', 'batch x m x n x k', 'dtype', 'count', 'of peak', 'short of peak because'], rows, (i) => i === 3 || i === 4)}`;
}

function distributionTable(st: Study): string {
  const rows = st.rows.filter((r) => r.replicas > 1 || r.micro_batches > 1);
  if (!rows.length) return '';
  const cells = rows.map((r) => [label(r), String(r.replicas), String(r.micro_batches), String(r.batch ?? '-'), (r.allreduce.gradient_bytes / 1e6).toFixed(1), r.allreduce.ms.toFixed(3), r.allreduce.exposed_ms.toFixed(3), r.phases.accumulate_ms.toFixed(3)]);
  return `<h2>Data parallelism and micro-batching</h2>\n${htmlTable(['point', 'replicas', 'micro-batches', 'rows per micro-batch', 'gradient MB', 'ring all-reduce ms', 'exposed ms', 'accumulate ms'], cells, (i) => i > 0)}`;
}

function nearMemoryTable(st: Study): string {
  const rows = st.rows.filter((r) => r.near_memory);
  if (!rows.length) return '';
  const cells = rows.map((r) => [label(r), r.accel, String(r.near_memory!.eligible), String(r.near_memory!.placed), r.near_memory!.saved_ms.toFixed(3)]);
  return `<h2>Near-memory units</h2>\n<p>A kernel runs near memory exactly when its predicted time there is lower.</p>\n${htmlTable(['point', 'accel', 'eligible kernels', 'placed near memory', 'saved ms'], cells, (i) => i > 1)}`;
}

function rowsTable(st: Study): string {
  const head = ['point', 'accel', 'step ms', 'device ms', 'forward ms', 'backward ms', 'optimizer ms', 'communication ms', 'activation GiB', 'fused gain', ...STUDY_CATEGORIES];
  const rows = st.rows.map((r) => [
    label(r), r.accel, r.predicted_ms.toFixed(3), r.device_ms.toFixed(3), r.phases.forward_ms.toFixed(3), r.phases.backward_ms.toFixed(3), r.phases.optimizer_ms.toFixed(3),
    r.phases.communication_ms.toFixed(3), (r.peak_activation_bytes / 2 ** 30).toFixed(2), `${r.fused_gain.toFixed(2)}x`,
    ...STUDY_CATEGORIES.map((c) => `${(100 * r.categories[c].share).toFixed(1)}%`),
  ]);
  return htmlTable(head, rows, (i) => i > 1);
}

export function renderStudyHtml(st: Study): string {
  const roofs = [...new Map(st.rows.map((r) => [`${r.accel}:${r.peak_matrix_flops}`, { name: `${r.accel} ${r.precision}`, matrix: r.peak_matrix_flops, dram: r.dram_bytes_per_s }])).values()];
  const m = st.model;
  const sets = Object.entries(m.sets).map(([k, v]) => ` ${k}=${v}`).join('');
  const title = `bertc study: ${m.file} --config ${m.config}${sets}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}td.num{text-align:right}h2{margin-top:1.5em}</style></head>
<body>
<h1>${esc(title)}</h1>
<p>${m.step ? `Training steps (loss ${esc(m.loss ?? '')}): forward with dropout, backward and AdamW.` : 'Forward passes.'} ${st.rows.length} points; predictions of bertc's cost model (docs/cost-model.md, docs/studies.md).</p>
<h2>Share of the step by category</h2>
${sharesPlot(st)}
<h2>Roofline of the GEMM shapes</h2>
${rooflinePlot(st, roofs)}
<h2>Peak activation memory against batch</h2>
${memoryPlot(st)}
<h2>Rows</h2>
${rowsTable(st)}
${[gemmTable(st), distributionTable(st), nearMemoryTable(st)].filter(Boolean).join('\n')}
</body></html>
`;
}
