import { isFloat } from '../src/ir/dtype.js';
import type { Node } from '../src/ir/node.js';
import { shapeEquals } from '../src/ir/shape.js';
import { isMatmul } from '../src/kernel/classify.js';
import { bytesOf } from '../src/kernel/kernels.js';
import { definePass } from './pass.js';
import { FusionContext } from './fusion.js';

export const EPILOGUE_OPS = ['bias', 'gelu', 'tanh', 'relu', 'scale', 'residual', 'cast'] as const;

/** What an elementwise op would be in a GEMM epilogue, or undefined when it has no epilogue form. */
function epilogueRole(n: Node, acc: Node): string | undefined {
  const other = n.srcs.find((s) => s !== acc);
  // A constant, possibly cast to the precision of the accumulator's result.
  const constant = other !== undefined && (other.op === 'const' || (other.op === 'cast' && other.srcs[0]!.op === 'const'));
  switch (n.op) {
    case 'gelu':
    case 'tanh':
    case 'relu':
      return n.op;
    case 'cast':
      return isFloat(n.type.dtype) && isFloat(acc.type.dtype) ? 'cast' : undefined;
    case 'mul':
      return constant ? 'scale' : undefined;
    case 'div':
      // acc / c is a scale; c / acc is a reciprocal, which has no epilogue form.
      return n.srcs[0] === acc && constant ? 'scale' : undefined;
    case 'add': {
      if (!other) return undefined;
      const s = other.type.shape;
      if (shapeEquals(s, acc.type.shape)) return 'residual';
      const n0 = acc.type.shape[acc.type.shape.length - 1];
      return s.length >= 1 && s[s.length - 1] === n0 && s.slice(0, -1).every((d) => d === 1) ? 'bias' : undefined;
    }
    default:
      return undefined;
  }
}

export const fuseGemmEpilogue = definePass({
  name: 'fuse-gemm-epilogue',
  summary: 'apply bias, activation, scale and residual add to a GEMM result before it is stored',
  description: `Follows each matmul's result through single-reader elementwise ops whose role is in 'ops'
(bias: a row vector added along the last axis; scale: a constant factor; residual: a same-shaped add;
gelu, tanh, relu; cast: a change of float precision, which the precision pass places) and merges them
into the GEMM kernel. A result read twice stays stored.

  before:  kernel { y = matmul(x, w, transpose_b=true) }  kernel { z = y + b }  kernel { h = gelu(z) }
  after:   kernel k_gemm_bias_gelu { y = matmul(x, w, transpose_b=true); z = y + b; h = gelu(z) }`,
  options: {
    ops: { kind: 'list', default: [...EPILOGUE_OPS], values: EPILOGUE_OPS, doc: 'roles an epilogue may contain' },
  },
  statistics: { fused: 'ops merged into GEMM epilogues', rejected: 'candidates rejected' },
  run(m, o, stats) {
    const c = new FusionContext(m, 'fuse-gemm-epilogue');
    for (const mm of c.b.nodes.filter(isMatmul)) {
      let acc = mm;
      for (;;) {
        const g = c.b.group(mm)!;
        const readers = c.b.readers.get(acc) ?? [];
        const next = readers[0];
        if (!next || c.b.group(next) === undefined || c.b.group(next) === g) break;
        const role = epilogueRole(next, acc);
        const bytes = 2 * bytesOf(acc);
        if (readers.length > 1) {
          c.decide('multi-consumer', false, next, mm, bytes, `'${acc.op}' result has ${readers.length} readers`);
          break;
        }
        if (!role || !o.ops.includes(role)) {
          if (c.isElementwiseGroup(c.b.group(next)!)) c.decide('epilogue-op-not-allowed', false, next, mm, bytes, role ? `'${role}' is not in ops=${o.ops.join(',')}` : `'${next.op}' has no epilogue form`);
          break;
        }
        const eg = c.b.group(next)!;
        if (c.b.members(eg).length > 1) {
          c.decide('consumer-already-fused', false, next, mm, bytes, 'the reader already belongs to a larger kernel');
          break;
        }
        if (c.b.wouldCycle(g, eg)) {
          c.decide('would-cycle', false, next, mm, bytes, 'another kernel lies between them');
          break;
        }
        c.b.merge(g, eg);
        c.decide(role, true, next, mm, bytes);
        stats.add('fused');
        acc = next;
      }
    }
    stats.add('rejected', c.decisions.filter((d) => !d.fused).length);
    return c.finish();
  },
});
