import type { Node } from '../src/ir/node.js';
import { broadcastShapes, numel, shapeEquals } from '../src/ir/shape.js';
import { isRowReduction, reducedAxes } from '../src/kernel/classify.js';
import { bytesOf } from '../src/kernel/kernels.js';
import { definePass } from './pass.js';
import { anchorOf, FusionContext } from './fusion.js';

/** The row reductions of a group, to check that two groups reduce along the same rows. */
function reductionsOf(c: FusionContext, g: number): Node[] {
  return c.b.members(g).filter(isRowReduction);
}

function sameRows(a: Node, b: Node): boolean {
  const ax = reducedAxes(a);
  const bx = reducedAxes(b);
  return shapeEquals(a.srcs[0]!.type.shape, b.srcs[0]!.type.shape) && ax.length === bx.length && ax.every((x, i) => x === bx[i]);
}

/** Does a value of `shape`, broadcast onto `rowShape`, vary along every outer (not reduced) axis? */
function storedOncePerElement(shape: readonly number[], rowShape: readonly number[], rowAxes: readonly number[]): boolean {
  const lead = rowShape.length - shape.length;
  return rowShape.every((d, i) => rowAxes.includes(i) || (i >= lead && shape[i - lead] === d));
}

/** Tries to pull producer group `p` into the row kernel `g` as its prologue. */
function tryPrologue(c: FusionContext, p: number, g: number, r: Node): boolean {
  const anchor = anchorOf(c, p);
  const bytes = c.savedBytes(p);
  const otherReductions = reductionsOf(c, p);
  if (otherReductions.length) {
    const bad = otherReductions.find((x) => !sameRows(x, r));
    if (bad) {
      c.decide('reduction-axis-mismatch', false, bad, r, bytes, `${bad.op} reduces axes [${reducedAxes(bad)}] of ${bad.srcs[0]!.type.shape.join('x')}, ${r.op} axes [${reducedAxes(r)}] of ${r.srcs[0]!.type.shape.join('x')}`);
      return false;
    }
  } else if (!c.isPrologueGroup(p)) {
    return false;
  }
  // A producer read outside the row kernel too is still computed inside it, and its result stored.
  const { alone, bytes: saved } = c.mergeSavings(p, g);
  const outs = c.outputs(p);
  const rowShape = r.srcs[0]!.type.shape;
  const fits = outs.every((o) => broadcastShapes(o.type.shape, rowShape)?.every((d, i) => d === rowShape[i]) ?? false);
  if (!fits) {
    c.decide('shape-mismatch', false, anchor, r, bytes, `its result does not broadcast onto the rows ${rowShape.join('x')}`);
    return false;
  }
  // Stored from inside the row kernel, a value broadcast along the outer axes would be written once
  // per row that reads it; per-row results (reductions over these rows) are written once per row.
  if (!alone && !outs.every((o) => (isRowReduction(o) && sameRows(o, r)) || storedOncePerElement(o.type.shape, rowShape, reducedAxes(r)))) {
    c.decide('multi-consumer', false, anchor, r, bytes, `its result is also read outside the row kernel, and it is broadcast onto the rows ${rowShape.join('x')}`);
    return false;
  }
  const view = c.viewBetween(p, g);
  if (view) {
    c.decide('read-through-view', false, anchor, r, bytes, `the row kernel sees its result through a view (${view.op}), and views stay between kernels`);
    return false;
  }
  if (c.b.wouldCycle(p, g)) {
    c.decide('would-cycle', false, anchor, r, bytes, 'another kernel lies between them');
    return false;
  }
  if (!c.fitsBindings(p, g)) {
    c.decide('binding-limit', false, anchor, r, saved, 'the row kernel would bind more storage buffers than the accelerator allows');
    return false;
  }
  c.b.merge(g, p);
  c.decide(!alone ? 'multi-output' : otherReductions.length ? 'row-compatible' : 'prologue', true, anchor, r, saved);
  return true;
}

/** A `reduce_*` along its input's rows (its last axis), not across them (a bias gradient). */
function isRowSum(n: Node): boolean {
  return n.op.startsWith('reduce_') && isRowReduction(n) && reducedAxes(n).includes(n.srcs[0]!.type.shape.length - 1);
}

/** The members of `g` computed from one of its `reduce_*` results: the per-row sums and what reads them back. */
function downstreamOfReductions(c: FusionContext, g: number): Set<Node> {
  const members = c.b.members(g);
  const inside = new Set(members);
  const found = new Set<Node>();
  for (const n of members) {
    if (isRowSum(n) || n.srcs.some((s) => found.has(s) && inside.has(s))) found.add(n);
  }
  return found;
}

/** Is group `e` casts alone, of values of group `g` no larger than `r`'s rows? */
function castsRowsOf(c: FusionContext, e: number, g: number, r: Node): boolean {
  const rows = numel(r.srcs[0]!.type.shape);
  return c.b.members(e).every((n) => n.op === 'cast' && c.b.group(n.srcs[0]!) === g && numel(n.type.shape) <= rows);
}

/** Tries to pull consumer group `e` into the row kernel `g` as its epilogue. */
function tryEpilogue(c: FusionContext, g: number, e: number, r: Node): boolean {
  const anchor = anchorOf(c, e);
  if (!c.isElementwiseGroup(e)) return false;
  const bytes = c.outputs(g).filter((o) => c.b.consumers(o).some((x) => c.b.group(x) === e)).reduce((s, o) => s + 2 * bytesOf(o), 0);
  // The epilogue runs per element of the rows: a reduce_* result is read back along the row it sums
  // (softmax's and layernorm's backward: x * (g - sum(g * x))).
  const rowShape = r.srcs[0]!.type.shape;
  if (!c.outputs(e).every((o) => shapeEquals(o.type.shape, rowShape) || shapeEquals(o.type.shape, r.type.shape))) {
    c.decide('shape-mismatch', false, r, anchor, bytes, 'the consumer changes the shape of the rows');
    return false;
  }
  const view = c.viewBetween(g, e);
  if (view) {
    c.decide('read-through-view', false, r, anchor, bytes, `the consumer sees the rows through a view (${view.op}), and views stay between kernels`);
    return false;
  }
  if (c.b.wouldCycle(g, e)) {
    c.decide('would-cycle', false, r, anchor, bytes, 'another kernel lies between them');
    return false;
  }
  if (!c.fitsBindings(g, e)) {
    c.decide('binding-limit', false, r, anchor, bytes, 'the row kernel would bind more storage buffers than the accelerator allows');
    return false;
  }
  c.b.merge(g, e);
  c.decide('epilogue', true, r, anchor, bytes);
  return true;
}

export const fuseReductions = definePass({
  name: 'fuse-reductions',
  summary: 'fuse layernorm, softmax and reductions with the elementwise chains around them',
  description: `A row kernel (layernorm, softmax, reduce_*) absorbs its elementwise producers (the prologue: bias,
dropout, residual add, scale, mask, embedding lookups) and its elementwise consumers (the epilogue: dropout
after softmax). A producer that other kernels read too is still computed inside and stored for them (a
GELU backward read by its GEMMs and summed into its bias gradient); one broadcast along the kernel's
outer axes, where each row would store it again, or a reduction along other rows, is left alone.

  before:  kernel { a = x + b }  kernel { d = dropout(a) }  kernel { r = d + res }  kernel { y = layernorm(r, g, be) }
  after:   kernel k_bias_dropout_residual_layernorm { a = x + b; d = dropout(a); r = d + res; y = layernorm(r, g, be) }`,
  options: {},
  statistics: { fused: 'groups merged into row kernels', rejected: 'candidates rejected' },
  run(m, _o, stats) {
    const c = new FusionContext(m, 'fuse-reductions');
    for (const r of c.b.nodes.filter(isRowReduction)) {
      // Each candidate is judged once; a group merged in may bring new producers, so repeat.
      const judged = new Set<number>();
      const judgedAfter = new Set<number>();
      for (let changed = true; changed; ) {
        changed = false;
        const g = c.b.group(r)!;
        const producerGroups = new Set(c.b.members(g).flatMap((n) => c.b.producers(n)).map((p) => c.b.group(p)!));
        for (const p of producerGroups) {
          if (p === g || judged.has(p)) continue;
          judged.add(p);
          if (tryPrologue(c, p, g, r)) {
            changed = true;
            break;
          }
        }
        if (changed) continue;
        const consumerGroups = new Set(c.outputs(g).flatMap((o) => c.b.consumers(o)).map((x) => c.b.group(x)!).filter((x) => x !== g));
        const [only] = consumerGroups;
        if (consumerGroups.size === 1) {
          if (!judgedAfter.has(only!)) {
            judgedAfter.add(only!);
            changed = tryEpilogue(c, g, only!, r);
          }
          continue;
        }
        // With several readers, the ones worth pulling in read the per-row results back (the input
        // gradient of layernorm: dy*g - mean(dy*g) - xhat*mean(dy*g*xhat)). Left outside, each
        // would make the kernel store its row sums and reread the rows they came from.
        // So are casts of the rows (layernorm's output to a GEMM's 16-bit operand): inside, they
        // store the 16-bit copy instead of rereading the rows to make it.
        const perRow = downstreamOfReductions(c, g);
        for (const e of consumerGroups) {
          if (judgedAfter.has(e) || !c.isElementwiseGroup(e) || c.b.wouldCycle(g, e)) continue;
          if (!c.b.members(e).some((n) => n.srcs.some((s) => perRow.has(s))) && !castsRowsOf(c, e, g, r)) continue;
          judgedAfter.add(e);
          if (tryEpilogue(c, g, e, r)) {
            changed = true;
            break;
          }
        }
      }
    }
    stats.add('fused', c.decisions.filter((d) => d.fused).length);
    stats.add('rejected', c.decisions.filter((d) => !d.fused).length);
    return c.finish();
  },
});
