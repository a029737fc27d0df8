/**
 * The backends' per-op and per-dtype tables: every elementwise op the catalogue declares has a
 * spelling in the C-like renderer (and so in WGSL, whose table overrides C's), every viewable
 * movement op an index rule, and every dtype a form in C's dtype table whose compute type is its
 * compute dtype's. f16 and bf16 are storage forms computed in f32: C converts them through the
 * runtime's functions, WGSL packs them two per u32 or, natively, asks for `enable f16`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDtype, DTYPES } from '../src/ir/dtype.js';
import { OPS, type CatalogueOp, type OpDef, type OpGroup } from '../src/ir/ops.js';
import { affine, ravel, reshapeIndex, SOURCE_INDEX, STORE_THROUGH, unravel } from '../targets/common/indexing.js';
import { C_DTYPES, C_OPS, CLikeRenderer } from '../targets/common/renderer.js';
import { WGSL_DTYPES, WGSL_OPS, WgslRenderer } from '../targets/wgsl/renderer.js';

/** The groups spelled by the op table; dropout ('random') is `CLikeRenderer.dropout`, which needs the element's index and key. */
const SPELLED: ReadonlySet<OpGroup> = new Set(['unary', 'binary', 'compare', 'select', 'cast']);
const opsIn = (keep: (d: OpDef) => boolean) => [...OPS.values()].filter(keep).map((d) => d.name as CatalogueOp);

describe('op spelling tables', () => {
  const spelled = opsIn((d) => SPELLED.has(d.group));

  it('spell every unary, binary, compare, select and cast op of the catalogue, in C and in WGSL', () => {
    expect(spelled.length).toBeGreaterThan(20);
    expect(spelled.filter((op) => !(op in C_OPS))).toEqual([]);
    const wgsl = new WgslRenderer();
    expect(spelled.filter((op) => !wgsl.ops[op])).toEqual([]);
  });

  it('hold no entry for an op outside the catalogue or outside those groups', () => {
    expect(Object.keys(C_OPS).filter((op) => !spelled.includes(op as CatalogueOp))).toEqual([]);
    expect(Object.keys(WGSL_OPS).filter((op) => !spelled.includes(op as CatalogueOp))).toEqual([]);
  });

  it('give WGSL only the entries that differ from C', () => {
    const wgsl = new WgslRenderer();
    const c = new CLikeRenderer();
    for (const op of Object.keys(WGSL_OPS) as CatalogueOp[]) expect(wgsl.ops[op], op).not.toBe(c.ops[op]);
    expect(wgsl.ops['add']).toBe(C_OPS.add);
  });
});

describe('ops the op table does not spell', () => {
  it('are each group with a code path of its own in both backends, so a new group cannot slip through', () => {
    // source: inputs, weights, inline constants and iota (ElementValues.value); random: dropout
    // (CLikeRenderer.dropout); reduce and norm: the row kernels; matmul: the GEMM kernels; movement:
    // views and copies (indexing.ts); gather: ElementValues.gatherValue; scatter: the scatter_add
    // kernels (targets/common/scatter.ts, scatterKernel in targets/c and targets/wgsl).
    const groups = new Set([...OPS.values()].map((d) => d.group).filter((g) => !SPELLED.has(g)));
    expect([...groups].sort()).toEqual(['gather', 'matmul', 'movement', 'norm', 'random', 'reduce', 'scatter', 'source']);
  });
});

describe('movement index tables', () => {
  it('map an index through every op with a view rule, and store through every relabelling one', () => {
    expect(opsIn((d) => d.view !== undefined).filter((op) => !SOURCE_INDEX[op])).toEqual([]);
    expect(opsIn((d) => d.view?.kind === 'relabel').filter((op) => !STORE_THROUGH[op])).toEqual([]);
    expect(Object.keys(SOURCE_INDEX).filter((op) => !OPS.get(op)?.view)).toEqual([]);
  });
});

/** The value of an index expression as C and WGSL compute it: BigInt division truncates as theirs does. */
function evaluate(e: string, vars: Record<string, number>): bigint {
  const js = e.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (v) => `(${vars[v]})`).replace(/\d+/g, '$&n');
  return Function(`return ${js};`)() as bigint;
}

describe('index expressions', () => {
  it('join the digits of a counter that a reshape split and the next one merged back', () => {
    expect(affine([['(j / 128)', 98304], ['(j % 128)', 768], ['row', 1]])).toBe('(j * 768 + row)');
    expect(ravel(unravel('j', [8, 128, 768]), [8, 128, 768])).toBe('j');
    expect(ravel(unravel('(row * 768 + j)', [8, 128, 768]), [8, 128, 768])).toBe('(row * 768 + j)');
    // Part of a counter: digits 1..2 of three stay a modulus, the lowest one a division.
    expect(ravel(unravel('j', [4, 6, 5]).slice(1), [6, 5])).toBe('(j % 30)');
    expect(ravel(unravel('j', [4, 6, 5]).slice(0, 2), [4, 6])).toBe('(j / 5)');
    // A head split is a real permutation: nothing joins.
    expect(ravel(reshapeIndex(['row', 'j'], [1024, 768], [8, 128, 12, 64]), [8, 128, 12, 64])).toBe('(row * 768 + j)');
    expect(affine([['(row / 128)', 98304], ['(j / 64)', 8192], ['(row % 128)', 64], ['(j % 64)', 1]])).toBe(
      '((row / 128) * 98304 + (j / 64) * 8192 + (row % 128) * 64 + (j % 64))',
    );
    expect(affine([['(j / 128)', 98304], ['(j % 128)', 700]])).toBe('((j / 128) * 98304 + (j % 128) * 700)');
    expect(affine([['(j / 128)', 98304], ['(k % 128)', 768]])).toBe('((j / 128) * 98304 + (k % 128) * 768)');
  });

  it('keep the value of every index through a reshape of random shapes (any split and merge of axes)', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(dims, dims, fc.nat(), (from, to0, at) => {
        const count = from.reduce((a, b) => a * b, 1);
        const to = [...to0.slice(0, -1).filter((d) => count % d === 0)];
        const rest = count / to.reduce((a, b) => a * b, 1);
        if (!Number.isInteger(rest)) return;
        to.push(rest);
        const flat = at % count;
        const idx = unravel('f', from);
        const expr = ravel(reshapeIndex(idx, from, to), to);
        expect(evaluate(expr, { f: flat })).toBe(BigInt(flat));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('dtype tables', () => {
  it('C has a form for every dtype, computed in its compute dtype\'s type', () => {
    for (const d of DTYPES) {
      const f = C_DTYPES[d];
      expect(f.compute, d).toBe(C_DTYPES[computeDtype(d)].compute);
      expect(f.bytes, d).toBeGreaterThan(0);
    }
    expect(C_DTYPES.bf16).toMatchObject({ storage: 'uint16_t', bytes: 2, compute: 'float' });
    expect(C_DTYPES.f16).toMatchObject({ storage: 'uint16_t', bytes: 2, compute: 'float' });
  });

  it('WGSL stores bools as i32, f16 and bf16 two to a u32 (f16 also natively behind `enable f16`), and has no i64', () => {
    expect(WGSL_DTYPES.i64).toBeUndefined();
    const r = new WgslRenderer();
    expect([r.storageType('bool'), r.type('bool'), r.storageBytes('bool')]).toEqual(['i32', 'bool', 4]);
    for (const d of ['f16', 'bf16'] as const) {
      expect([r.storageType(d), r.type(d), r.storageBytes(d), r.arrayElement(d, true)]).toEqual(['u32', 'f32', 2, 'atomic<u32>']);
      expect(() => r.load('b0[i]', d)).toThrow(/no load conversion/);
    }
    expect(r.loadAt('b0', 'i', 'bf16')).toBe('bertc_bf16_at(b0[(i) >> 1u], i)');
    expect(r.enables(['f32', 'f16', 'bf16', 'bool'])).toEqual([]);
    const native = new WgslRenderer(false, 'native');
    expect([native.storageType('f16'), native.type('f16'), native.storageBytes('f16'), native.arrayElement('f16', true)]).toEqual(['f16', 'f32', 2, 'f16']);
    expect(native.loadAt('b0', 'i', 'f16')).toBe('f32(b0[i])');
    expect(native.storeAt('b0', 'i', 'x', 'f16')).toBe('b0[i] = bitcast<vec2<f16>>(bertc_f16_bits(x)).x;');
    expect(native.enables(['f32', 'f16', 'i32', 'f16'])).toEqual(['enable f16;']);
    expect(native.storageType('bf16')).toBe('u32');
    expect(() => r.type('i64')).toThrow(/cannot spell i64/);
  });

  it('casts and literals follow the compute dtype: f16 values are f32 in registers', () => {
    const c = new CLikeRenderer();
    expect(c.cast('x', 'f16', 'f32')).toBe('x');
    expect(c.cast('x', 'i32', 'bf16')).toBe('((float)(x))');
    expect(c.literal(0.5, 'f16')).toBe('0.5f');
    expect(c.literal(3, 'i64')).toBe('3LL');
    expect(new WgslRenderer().literal(-2, 'i32')).toBe('-2i');
  });

  it('C loads and stores f16 and bf16 through the runtime\'s conversions (f32 needs none)', () => {
    const c = new CLikeRenderer();
    expect(c.load('b0[i]', 'bf16')).toBe('bertc_bf16_to_f32(b0[i])');
    expect(c.store('x', 'f16')).toBe('bertc_f32_to_f16(x)');
    expect(c.load('b0[i]', 'f32')).toBe('b0[i]');
  });
});
