import type { Graph } from './graph.js';
import { graphNodes } from './graph.js';
import { isInteger } from './dtype.js';
import type { Node } from './node.js';
import { opDef } from './ops.js';

/**
 * The values each integer model input may hold, half-open [lo, hi): what its declaration says
 * (`attention_mask: i32[B, S] in 0 .. 2`) and what the graph implies (an input that indexes a
 * gather must address a row of the table, and one that scatter_add scatters by a row of its
 * result). Every target checks inputs against these on the host before running, so an
 * out-of-range id is the same diagnostic everywhere instead of a clamped read (or add) on one
 * backend and a trap on another.
 */
export interface InputRange {
  readonly lo: number;
  readonly hi: number;
  /** Why the range holds, for the diagnostic: "declared", or the gather or scatter_add that reads through it. */
  readonly because: string;
}

export function declaredRange(n: Node): readonly [number, number] | undefined {
  const r = n.attrs.range as readonly number[] | undefined;
  return r && r.length === 2 ? [r[0]!, r[1]!] : undefined;
}

export function formatRange(r: readonly [number, number] | undefined): string {
  return r ? ` in ${r[0]} .. ${r[1]}` : '';
}

/** The input whose values `n` carries unchanged: through movement ops and integer-to-integer casts. */
function sourceInput(n: Node): Node | undefined {
  let at = n;
  for (;;) {
    if (at.op === 'input') return at;
    const group = opDef(at.op).group;
    const passesValues = group === 'movement' || (group === 'cast' && isInteger(at.type.dtype) && isInteger(at.srcs[0]!.type.dtype));
    if (!passesValues || at.srcs.length !== 1) return undefined;
    at = at.srcs[0]!;
  }
}

export function inputRanges(g: Graph): Map<string, InputRange> {
  const ranges = new Map<string, InputRange>();
  const narrow = (input: Node, lo: number, hi: number, because: string) => {
    const name = input.attr<string>('name');
    const prev = ranges.get(name);
    const tighter = !prev || lo > prev.lo || hi < prev.hi;
    ranges.set(name, prev ? { lo: Math.max(prev.lo, lo), hi: Math.min(prev.hi, hi), because: tighter ? because : prev.because } : { lo, hi, because });
  };
  for (const input of g.inputs) {
    const r = declaredRange(input);
    if (r) narrow(input, r[0], r[1], 'as declared');
  }
  for (const n of graphNodes(g)) {
    const rule = opDef(n.op).indexedRows;
    if (!rule) continue;
    const { operand, rows, because } = rule(n);
    const input = sourceInput(n.srcs[operand]!);
    if (input) narrow(input, 0, rows, because);
  }
  return ranges;
}
