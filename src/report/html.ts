import { CATEGORIES, type Category } from '../cost/model.js';
import type { Report } from './build.js';
import { fmt, reportTables } from './text.js';

/**
 * A self-contained HTML report: inline CSS and SVG only (no scripts, no network), so it opens
 * offline. The roofline plots every kernel at (FLOP per DRAM byte, achieved FLOP/s) under the
 * accelerator's memory and compute roofs; the bar stacks the predicted time by category.
 */

const COLORS: Readonly<Record<Category, string>> = {
  gemm: '#1f77b4',
  'attention-gemm': '#17becf',
  softmax: '#ff7f0e',
  layernorm: '#2ca02c',
  gelu: '#d62728',
  dropout: '#9467bd',
  elementwise: '#8c564b',
  embedding: '#e377c2',
  casts: '#bcbd22',
  'data-movement': '#7f7f7f',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function roofline(r: Report): string {
  const W = 720;
  const H = 420;
  const pad = { l: 70, r: 20, t: 20, b: 50 };
  const pts = r.kernels.filter((k) => k.bytes > 0 && k.flops > 0).map((k) => ({ k, x: k.intensity, y: k.flops / k.predicted_s }));
  const a = r.accelerator;
  const ridge = a.peak_matrix_flops / a.dram_bytes_per_s;
  const xs = [...pts.map((p) => p.x), ridge];
  const x0 = 10 ** Math.floor(Math.log10(Math.max(1e-3, Math.min(...xs) / 2)));
  const x1 = 10 ** Math.ceil(Math.log10(Math.max(...xs) * 4));
  const y1 = 10 ** Math.ceil(Math.log10(a.peak_matrix_flops * 2));
  const y0 = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(x0 * a.dram_bytes_per_s, ...pts.map((p) => p.y)) / 2)));
  const sx = (x: number) => pad.l + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * (W - pad.l - pad.r);
  const sy = (y: number) => H - pad.b - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (H - pad.t - pad.b);
  const roof = (peak: number) => {
    const knee = peak / a.dram_bytes_per_s;
    const pts2 = [[x0, Math.max(y0, x0 * a.dram_bytes_per_s)], [Math.min(Math.max(knee, x0), x1), Math.min(peak, Math.max(y0, knee * a.dram_bytes_per_s))], [x1, peak]];
    return pts2.map(([x, y]) => `${sx(x!).toFixed(1)},${sy(y!).toFixed(1)}`).join(' ');
  };
  const ticks: string[] = [];
  for (let e = Math.log10(x0); e <= Math.log10(x1); e++) {
    ticks.push(`<line x1="${sx(10 ** e)}" y1="${H - pad.b}" x2="${sx(10 ** e)}" y2="${H - pad.b + 5}" stroke="#333"/><text x="${sx(10 ** e)}" y="${H - pad.b + 18}" text-anchor="middle">1e${e}</text>`);
  }
  for (let e = Math.log10(y0); e <= Math.log10(y1); e++) {
    ticks.push(`<line x1="${pad.l - 5}" y1="${sy(10 ** e)}" x2="${pad.l}" y2="${sy(10 ** e)}" stroke="#333"/><text x="${pad.l - 8}" y="${sy(10 ** e) + 4}" text-anchor="end">1e${e}</text>`);
  }
  const dots = pts.map(({ k, x, y }) =>
    `<circle class="kernel" cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="4" fill="${COLORS[k.category]}"><title>${esc(k.name)} (${k.category}): ${x.toFixed(2)} FLOP/B, ${(y / 1e12).toFixed(3)} TFLOP/s, ${k.bound}-bound</title></circle>`);
  return `<svg id="roofline" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="11" font-family="sans-serif">
<rect x="${pad.l}" y="${pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="#fafafa" stroke="#333"/>
${ticks.join('\n')}
<polyline class="roof" points="${roof(a.peak_matrix_flops)}" fill="none" stroke="#000" stroke-width="2"><title>matrix roof ${fmt.tflops(a.peak_matrix_flops)} TFLOP/s</title></polyline>
<polyline class="roof" points="${roof(a.peak_vector_flops)}" fill="none" stroke="#888" stroke-dasharray="4 3" stroke-width="1.5"><title>vector roof ${fmt.tflops(a.peak_vector_flops)} TFLOP/s</title></polyline>
${dots.join('\n')}
<text x="${(W + pad.l) / 2}" y="${H - 12}" text-anchor="middle">arithmetic intensity (FLOP per DRAM byte)</text>
<text x="16" y="${(H - pad.b) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(H - pad.b) / 2})">achieved FLOP/s</text>
</svg>`;
}

function stackedBar(r: Report): string {
  const W = 720;
  let x = 0;
  const parts = r.categories.filter((c) => c.share > 0).map((c) => {
    const w = c.share * W;
    const rect = `<rect class="share" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="32" fill="${COLORS[c.category]}"><title>${c.category}: ${fmt.pct(c.share)} (${fmt.ms(c.predicted_s)} ms)</title></rect>`;
    x += w;
    return rect;
  });
  const legend = CATEGORIES.filter((c) => r.categories.some((x) => x.category === c && x.share > 0)).map((c, i) => {
    const share = r.categories.find((x) => x.category === c)!.share;
    return `<rect x="${(i % 4) * 180}" y="${44 + Math.floor(i / 4) * 18}" width="12" height="12" fill="${COLORS[c]}"/><text x="${(i % 4) * 180 + 16}" y="${54 + Math.floor(i / 4) * 18}">${c} ${fmt.pct(share)}</text>`;
  });
  return `<svg id="categories" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${44 + Math.ceil(legend.length / 4) * 18 + 8}" font-size="11" font-family="sans-serif">${parts.join('')}${legend.join('')}</svg>`;
}

export function renderHtml(r: Report): string {
  const tables = reportTables(r).map((s) => {
    const head = s.table.head.map((h) => `<th>${esc(h)}</th>`).join('');
    const rows = s.table.rows.map((row) => `<tr>${row.map((c, i) => `<td${s.table.right?.includes(i) ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
    return `<h2>${esc(s.title)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>${s.note ? `<p>${esc(s.note)}</p>` : ''}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bertc report: ${esc(r.model.file)} on ${esc(r.accelerator.name)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}td.num{text-align:right}h2{margin-top:1.5em}</style></head>
<body>
<h1>${esc(r.model.file)} --config ${esc(r.model.config)} on ${esc(r.accelerator.name)}</h1>
<p>${esc(r.accelerator.description)}</p>
<p>${r.totals.kernels} kernels, ${fmt.gflop(r.totals.flops)} GFLOP, ${fmt.mb(r.totals.bytes)} MB, predicted ${fmt.ms(r.totals.predicted_s)} ms${r.model.train ? ' (training-mode forward)' : ''}</p>
<h2>Roofline</h2>
${roofline(r)}
<h2>Predicted time by category</h2>
${stackedBar(r)}
${tables.join('\n')}
</body></html>
`;
}
