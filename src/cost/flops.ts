import type { Node } from '../ir/node.js';
import { numel } from '../ir/shape.js';

/**
 * Floating-point work of one op, split the way hardware executes it: matrix (multiply-adds on a
 * compute array, 2 per MAC), vector (adds, multiplies, compares, selects) and special functions
 * (exp, erf, tanh, sqrt, rsqrt, log, pow: one evaluation each).
 */
export interface Flops {
  readonly matrix: number;
  readonly vector: number;
  readonly special: number;
}

export const NO_FLOPS: Flops = { matrix: 0, vector: 0, special: 0 };

export function addFlops(a: Flops, b: Flops): Flops {
  return { matrix: a.matrix + b.matrix, vector: a.vector + b.vector, special: a.special + b.special };
}

export function totalFlops(f: Flops): number {
  return f.matrix + f.vector + f.special;
}

const SPECIAL = new Set(['exp', 'log', 'tanh', 'erf', 'sqrt', 'rsqrt', 'pow']);
const FREE = new Set(['input', 'param', 'const', 'iota', 'reshape', 'transpose', 'expand', 'slice', 'concat', 'gather']);

export function opFlops(n: Node, train: boolean): Flops {
  const out = numel(n.type.shape);
  if (FREE.has(n.op)) return NO_FLOPS;
  if (SPECIAL.has(n.op)) return { matrix: 0, vector: 0, special: out };
  switch (n.op) {
    case 'matmul': {
      const a = n.srcs[0]!.type.shape;
      const k = n.attr<boolean>('transpose_a') ? a[a.length - 2]! : a[a.length - 1]!;
      return { matrix: 2 * out * k, vector: 0, special: 0 };
    }
    case 'gelu':
      // x * 0.5 * (1 + erf(x * c)): three multiplies and an add around one erf (or tanh).
      return { matrix: 0, vector: 4 * out, special: out };
    case 'dropout':
      // The mask is integer work (the generator), then a compare, a select and a multiply.
      return train ? { matrix: 0, vector: 3 * out, special: 0 } : NO_FLOPS;
    case 'softmax':
      // max, subtract, sum, divide per element; one exp.
      return { matrix: 0, vector: 4 * out, special: out };
    case 'layernorm': {
      // mean, centre, square, sum, normalise, scale, shift per element; one rsqrt per row.
      const rows = out / n.type.shape[n.type.shape.length - 1]!;
      return { matrix: 0, vector: 7 * out, special: rows };
    }
    case 'reduce_sum':
    case 'reduce_max':
    case 'reduce_mean':
      return { matrix: 0, vector: numel(n.srcs[0]!.type.shape), special: 0 };
    default:
      return { matrix: 0, vector: out, special: 0 };
  }
}
