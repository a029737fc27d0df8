/**
 * The op catalogue states each per-op fact once; these check that the facts agree with the
 * groups that consult them, so a new op cannot be half-declared.
 */
import { describe, expect, it } from 'vitest';
import { OPS } from '../src/ir/ops.js';

const defs = [...OPS.values()];
const names = (pick: (d: (typeof defs)[number]) => boolean) => defs.filter(pick).map((d) => d.name).sort();

describe('the op catalogue', () => {
  it('states where a value comes from exactly for the source ops', () => {
    expect(names((d) => d.source !== undefined)).toEqual(names((d) => d.group === 'source'));
    expect(names((d) => d.source === 'inline')).toEqual(['const', 'iota']);
    expect(names((d) => d.source === 'input' || d.source === 'weight')).toEqual(['input', 'param']);
  });

  it('gives reduced axes exactly to the row ops (reductions and norms)', () => {
    expect(names((d) => d.reducedAxes !== undefined)).toEqual(names((d) => d.group === 'reduce' || d.group === 'norm'));
  });

  it('gives view rules only to movement ops, all of them but concat', () => {
    expect(names((d) => d.view !== undefined)).toEqual(names((d) => d.group === 'movement' && d.name !== 'concat'));
    expect(names((d) => d.view?.kind === 'relabel')).toEqual(['reshape', 'transpose']);
  });

  it('marks as commutative only binary and comparison ops', () => {
    for (const d of defs.filter((x) => x.commutative)) expect(['binary', 'compare'], d.name).toContain(d.group);
  });

  it('says which operand addresses rows exactly for the ops that take indices (gather, scatter_add)', () => {
    expect(names((d) => d.indexedRows !== undefined)).toEqual(names((d) => d.group === 'gather' || d.group === 'scatter'));
  });

  it('names the special-function unit of exactly the ops that evaluate special functions', () => {
    expect(names((d) => d.special !== undefined)).toEqual(['erf', 'exp', 'gelu', 'layernorm', 'log', 'pow', 'rsqrt', 'softmax', 'sqrt', 'tanh']);
  });
});
