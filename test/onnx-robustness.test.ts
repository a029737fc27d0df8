/**
 * Malformed ONNX graphs: bert_tiny.onnx with nodes changed at random (op types swapped, inputs
 * dropped or rewired, attributes of wrong kinds or values added, input ranks cut, constants
 * reshaped). Each import either succeeds, and then its printed IR parses back to its graph (the
 * importer checks that itself), or ends in a diagnostic: never another exception, which the CLI
 * would report as an internal error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../src/diag/diagnostics.js';
import { importOnnx } from '../src/onnx/import.js';
import { ONNX_SCHEMA } from '../src/onnx/onnxSchema.js';
import { SUPPORTED_OPS } from '../src/onnx/opTable.js';
import { REFERENCE_DIR } from './support/reference.js';
import { rng } from './support/randomProgram.js';

const M = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');

interface Attr { name: string; type: number; i?: number; ints?: number[]; f?: number; t?: unknown }
interface NodeObj { opType: string; input?: string[]; output?: string[]; attribute?: Attr[] }
interface ModelObj { graph: { node: NodeObj[]; input: { type: { tensorType: { shape: { dim: unknown[] } } } }[] } }

const base = M.toObject(M.decode(new Uint8Array(readFileSync(join(REFERENCE_DIR, 'bert_tiny.onnx')))), { longs: Number }) as ModelObj;

function mutate(seed: number): Uint8Array {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  // Only the graph's nodes and inputs are copied and changed; the initializers are shared.
  const m: ModelObj = { ...base, graph: { ...base.graph, node: structuredClone(base.graph.node), input: structuredClone(base.graph.input) } };
  const nodes = m.graph.node;
  for (let j = 0; j < 1 + Math.floor(r() * 3); j++) {
    const n = pick(nodes);
    n.input ??= [];
    const k = r();
    if (k < 0.2) n.opType = pick(SUPPORTED_OPS);
    else if (k < 0.35) n.input = n.input.slice(0, Math.floor(r() * n.input.length));
    else if (k < 0.5 && n.input.length) n.input[Math.floor(r() * n.input.length)] = pick(pick(nodes).output ?? ['']);
    else if (k < 0.65 && n.attribute?.length) Object.assign(pick(n.attribute), { type: pick([1, 2, 3, 4, 7]), i: Math.floor(r() * 9) - 4, ints: [Math.floor(r() * 6) - 3], f: r() * 2 - 1 });
    else if (k < 0.8) (n.attribute ??= []).push({ name: pick(['axis', 'axes', 'perm', 'to', 'keepdims', 'allowzero', 'epsilon']), type: pick([1, 2, 7]), i: Math.floor(r() * 5) - 2, ints: [Math.floor(r() * 5) - 2], f: r() });
    else { const dims = pick(m.graph.input).type.tensorType.shape; dims.dim = dims.dim.slice(0, Math.floor(r() * 3)); }
  }
  return M.encode(M.fromObject(m)).finish();
}

describe('importing malformed ONNX graphs', () => {
  it('ends every import in a model or a diagnostic (48 random mutations of bert_tiny.onnx)', () => {
    const outcomes: string[] = [];
    for (let seed = 1; seed <= 48; seed++) {
      try {
        importOnnx(mutate(seed), { file: 'mutated.onnx' });
        outcomes.push('ok');
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw new Error(`seed ${seed}: ${(e as Error).stack}`);
        outcomes.push(e.diagnostics[0]!.code);
      }
    }
    // The mutations do reach the importer's checks, not only its successes.
    expect(outcomes.filter((o) => o === 'E0031').length).toBeGreaterThan(5);
  });
});
