import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../passes/canonicalize.js';
import { Statistics } from '../passes/pass.js';
import { build, initialModule, loadText, Session } from '../src/driver.js';
import { GraphBuilder } from '../src/ir/builder.js';
import { describeOrigin, describeOrigins, type Meta } from '../src/ir/node.js';
import { tensorType } from '../src/ir/types.js';

const ROOT = resolve(import.meta.dirname, '..');
const at: Meta = { span: { file: 'm.ir', line: 3, col: 5, endLine: 3, endCol: 9 }, scope: 'encoder', hint: 'h' };

describe('the graph builder', () => {
  it('fills attribute defaults from the catalogue and infers the type', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [2, 4, 8]), { scope: '', hint: 'x' });
    const w = b.param('w', tensorType('f32', [16, 8]), at);
    const y = b.op('matmul', [x, w], { transpose_b: true }, at);
    expect(y.type).toEqual(tensorType('f32', [2, 4, 16]));
    expect(y.attrs).toEqual({ transpose_a: false, transpose_b: true, acc: 'f32' });
    expect(b.created).toEqual([x, w, y]);
  });

  it('returns the type rule\'s complaint from tryOp, and makes it an internal error in op', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [2, 8]), at);
    const w = b.param('w', tensorType('f32', [16, 4]), at);
    const r = b.tryOp('matmul', [x, w], { transpose_b: true }, at);
    expect('error' in r && r.error.code).toBe('E0006');
    expect(() => b.op('matmul', [x, w], { transpose_b: true }, at)).toThrow(/internal: built an invalid 'matmul'.*inner dimensions differ/);
    expect(b.tryOp('cast', [x], {}, at)).toEqual({ error: { code: 'E0014', detail: 'is required', attr: 'to' } });
    expect(() => b.op('add', [x], {}, at)).toThrow(/internal: 'add' takes 2 operands/);
    expect(() => b.op('param', [], { name: 'w' }, at)).toThrow(/its own method/);
  });

  it('interns by provenance too: an origin makes another node of the same structure', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [4]), at);
    const e = b.op('exp', [x], {}, at);
    expect(b.op('exp', [x], {}, at)).toBe(e);
    const derived = b.op('exp', [x], {}, { ...at, origin: { kind: 'derived', from: e.id, pass: 'p' } });
    expect(derived).not.toBe(e);
    expect(derived.structuralKey).toBe(e.structuralKey);
    expect(Object.isFrozen(derived.meta.origin)).toBe(true);
  });

  it('rebuilds a node over new operands, keeping op, attributes and provenance', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [4, 8]), at);
    const y = b.input('y', tensorType('f32', [4, 8]), at);
    const z = b.input('z', tensorType('f32', [2, 8]), at);
    const s = b.op('softmax', [x], { axis: 0 }, at);
    expect(b.rebuild(s, [x])).toBe(s);
    const sy = b.rebuild(s, [y]);
    expect([sy.op, sy.attrs, sy.meta, sy.srcs]).toEqual([s.op, s.attrs, s.meta, [y]]);
    expect(b.rebuild(s, [z]).type).toEqual(tensorType('f32', [2, 8]));
  });
});

describe('provenance', () => {
  it('describes a span, an ONNX node and a derivation', () => {
    expect(describeOrigin(at)).toBe('m.ir:3:5');
    expect(describeOrigin({ scope: '', hint: '', origin: { kind: 'onnx', node: 'MatMul_12' } })).toBe("onnx node 'MatMul_12'");
    expect(describeOrigin({ scope: '', hint: '', origin: { kind: 'derived', from: 17, pass: 'fuse-qkv' } })).toBe('derived from node 17 by fuse-qkv');
    expect(describeOrigin({ ...at, origin: { kind: 'derived', from: 17, pass: 'fuse-qkv' } })).toBe('m.ir:3:5');
    expect(describeOrigin({ scope: '', hint: '' })).toBe('');
  });

  it('lists the origins of a kernel\'s ops: spans in source order, then the others', () => {
    const b = new GraphBuilder();
    const later = { ...at, span: { ...at.span!, line: 9 } };
    const x = b.input('x', tensorType('f32', [4]), later);
    const y = b.op('exp', [x], {}, { scope: '', hint: '', origin: { kind: 'onnx', node: 'Exp_1' } });
    const z = b.op('neg', [y], {}, at);
    expect(describeOrigins([x, y, z, z])).toEqual(['m.ir:3:5', 'm.ir:9:5', "onnx node 'Exp_1'"]);
  });

  it('a node a rewrite builds is derived from the node it replaces, by the pass, and keeps its span', () => {
    const s = new Session();
    const text = 'model m(x: f32[2, 12]) -> f32[4, 6] {\n  return reshape(reshape(x, shape=[6, 4]), shape=[4, 6]);\n}\n';
    const e = build(s, loadText(s, 'm.ir', text), {});
    const before = e.graph.outputs[0]!.node;
    const after = canonicalize.run(initialModule(e, false), {}, new Statistics()).graph.outputs[0]!.node;
    expect(after.srcs).toEqual([e.graph.inputs[0]]);
    expect(after.meta).toEqual({ ...before.meta, origin: { kind: 'derived', from: before.id, pass: 'canonicalize' } });
  });
});

/** Every source file of the repository's code and tests, as a path from the root. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

describe('the builder is the only way nodes are made', () => {
  it('nothing but src/ir/builder.ts calls IrContext.intern', () => {
    const callers = ['src', 'passes', 'targets', 'test', 'bench']
      .flatMap(sources)
      .filter((f) => /\.intern\(/.test(readFileSync(join(ROOT, f), 'utf8')))
    expect(callers).toEqual(['src/ir/builder.ts']);
  });
});
