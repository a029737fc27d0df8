import type { OnnxAttr, OnnxModel, OnnxNode } from './decode.js';

/*
 * Exporters write layer normalization and exact GELU as chains of primitive ops (PyTorch's
 * LayerNorm before opset 17, and nn.GELU always). Found here on the ONNX graph, each chain becomes
 * one LayerNormalization or Gelu node, so that the IR holds `layernorm` and `gelu` as hand-written
 * IR does and fusion treats them alike. A chain matches only when its inner values are read by
 * nothing else and its constants are the ones the formula needs; the fused node keeps the nodes it
 * replaces, which are translated one by one where the fused form does not apply after all (a
 * normalized axis that turns out not to be the last).
 */

export interface FusedNode extends OnnxNode {
  readonly fusedFrom: readonly OnnxNode[];
}

export function isFused(n: OnnxNode): n is FusedNode {
  return 'fusedFrom' in n;
}

class GraphIndex {
  readonly producer = new Map<string, OnnxNode>();
  readonly consumers = new Map<string, OnnxNode[]>();
  readonly outputs: Set<string>;

  constructor(readonly model: OnnxModel) {
    for (const n of model.nodes) {
      for (const o of n.outputs) this.producer.set(o, n);
      for (const i of n.inputs) if (i) (this.consumers.get(i) ?? this.consumers.set(i, []).get(i)!).push(n);
    }
    this.outputs = new Set(model.outputs.map((o) => o.name));
  }

  /** The single node reading `value` and nothing else, when `value` is not a graph output. */
  only(value: string, op: string): OnnxNode | undefined {
    const cs = this.consumers.get(value) ?? [];
    return cs.length === 1 && cs[0]!.opType === op && cs[0]!.domain === '' && !this.outputs.has(value) ? cs[0] : undefined;
  }

  made(value: string, op: string): OnnxNode | undefined {
    const p = this.producer.get(value);
    return p && p.opType === op && p.domain === '' ? p : undefined;
  }

  /** The value of a one-element constant (initializer or Constant node). */
  scalar(value: string): number | undefined {
    const init = this.model.initializers.get(value);
    if (init) return init.data.length === 1 ? init.data[0] : undefined;
    const c = this.made(value, 'Constant');
    const a = c?.attrs.get('value');
    if (a?.kind === 'tensor') return a.value.data.length === 1 ? a.value.data[0] : undefined;
    if (a === undefined && c) {
      const f = c.attrs.get('value_float') ?? c.attrs.get('value_int');
      return f && (f.kind === 'float' || f.kind === 'int') ? f.value : undefined;
    }
    return undefined;
  }

  /** The operand of binary node `n` other than `value`, when `value` is one of its two. */
  other(n: OnnxNode, value: string): string | undefined {
    if (n.inputs.length !== 2) return undefined;
    if (n.inputs[0] === value) return n.inputs[1];
    if (n.inputs[1] === value) return n.inputs[0];
    return undefined;
  }
}

const near = (x: number | undefined, want: number, tol: number) => x !== undefined && Math.abs(x - want) <= tol * Math.abs(want);

/** The reduced axes of a ReduceMean: its attribute, or (opset 18) its constant second input. */
function reduceAxes(g: GraphIndex, n: OnnxNode): readonly number[] | undefined {
  const a = n.attrs.get('axes');
  if (a?.kind === 'ints') return a.value;
  if (n.inputs[1]) {
    const init = g.model.initializers.get(n.inputs[1]);
    if (init) return Array.from(init.data);
    const c = g.made(n.inputs[1], 'Constant')?.attrs.get('value');
    return c?.kind === 'tensor' ? Array.from(c.value.data) : undefined;
  }
  return undefined;
}

const keepsDims = (n: OnnxNode) => {
  const k = n.attrs.get('keepdims');
  return k === undefined || (k.kind === 'int' && k.value === 1);
};

/**
 * x -> ReduceMean(last axis) -> m; d = x - m; ReduceMean(d ^ 2) + eps -> Sqrt -> s; d / s * gamma + beta.
 * The mean's and variance's means must be over the same single axis, kept.
 */
function matchLayerNorm(g: GraphIndex, mean: OnnxNode): FusedNode | undefined {
  const axes = reduceAxes(g, mean);
  if (!axes || axes.length !== 1 || !keepsDims(mean) || mean.attrs.size > 1) return undefined;
  const x = mean.inputs[0]!;
  const subs = (g.consumers.get(mean.outputs[0]!) ?? []).filter((c) => c.opType === 'Sub' && c.inputs[0] === x && c.inputs[1] === mean.outputs[0]);
  if (subs.length !== 1 || (g.consumers.get(mean.outputs[0]!) ?? []).length !== 1 || g.outputs.has(mean.outputs[0]!)) return undefined;
  const sub = subs[0]!;
  const d = sub.outputs[0]!;
  const dUsers = g.consumers.get(d) ?? [];
  const pow = dUsers.find((c) => c.opType === 'Pow' && c.inputs[0] === d);
  const div = dUsers.find((c) => c.opType === 'Div' && c.inputs[0] === d);
  if (!pow || !div || dUsers.length !== 2 || g.outputs.has(d) || !near(g.scalar(pow.inputs[1]!), 2, 0)) return undefined;
  const varMean = g.only(pow.outputs[0]!, 'ReduceMean');
  if (!varMean || !keepsDims(varMean) || reduceAxes(g, varMean)?.join() !== axes.join()) return undefined;
  const addEps = g.only(varMean.outputs[0]!, 'Add');
  const epsName = addEps && g.other(addEps, varMean.outputs[0]!);
  const eps = epsName === undefined ? undefined : g.scalar(epsName);
  if (!addEps || eps === undefined || !(eps > 0)) return undefined;
  const sqrt = g.only(addEps.outputs[0]!, 'Sqrt');
  if (!sqrt || div.inputs[1] !== sqrt.outputs[0] || (g.consumers.get(sqrt.outputs[0]!) ?? []).length !== 1 || g.outputs.has(sqrt.outputs[0]!)) return undefined;
  const mul = g.only(div.outputs[0]!, 'Mul');
  const gamma = mul && g.other(mul, div.outputs[0]!);
  const add = mul && g.only(mul.outputs[0]!, 'Add');
  const beta = add && g.other(add, mul!.outputs[0]!);
  if (!mul || !gamma || !add || !beta) return undefined;
  const attrs = new Map<string, OnnxAttr>([['axis', { kind: 'int', value: axes[0]! }], ['epsilon', { kind: 'float', value: eps }]]);
  return {
    name: mean.name, opType: 'LayerNormalization', domain: '', inputs: [x, gamma, beta], outputs: [add.outputs[0]!], attrs,
    fusedFrom: [mean, sub, pow, varMean, addEps, sqrt, div, mul, add],
  };
}

/** x -> x / sqrt(2) (or x * 1/sqrt(2)) -> Erf -> + 1 -> times x -> times 0.5, the 0.5 on either side. */
function matchGelu(g: GraphIndex, erf: OnnxNode): FusedNode | undefined {
  const scaled = erf.inputs[0]!;
  const pre = g.producer.get(scaled);
  if (!pre || pre.domain !== '' || (g.consumers.get(scaled) ?? []).length !== 1 || g.outputs.has(scaled)) return undefined;
  const x = pre.inputs[0]!;
  const ok = (pre.opType === 'Div' && near(g.scalar(pre.inputs[1]!), Math.SQRT2, 1e-6)) || (pre.opType === 'Mul' && near(g.scalar(pre.inputs[1]!), Math.SQRT1_2, 1e-6));
  if (!ok) return undefined;
  const plus = g.only(erf.outputs[0]!, 'Add');
  const one = plus && g.other(plus, erf.outputs[0]!);
  if (!plus || one === undefined || !near(g.scalar(one), 1, 0)) return undefined;
  const times = g.only(plus.outputs[0]!, 'Mul');
  const by = times && g.other(times, plus.outputs[0]!);
  if (!times || by === undefined) return undefined;
  let nodes: OnnxNode[];
  let out: string;
  if (by === x) {
    // x * (1 + erf) then * 0.5
    const half = g.only(times.outputs[0]!, 'Mul');
    const h = half && g.other(half, times.outputs[0]!);
    if (!half || h === undefined || !near(g.scalar(h), 0.5, 0)) return undefined;
    nodes = [pre, erf, plus, times, half];
    out = half.outputs[0]!;
  } else {
    // (x * 0.5) * (1 + erf)
    const halfX = g.made(by, 'Mul');
    const h = halfX && g.other(halfX, x);
    if (!halfX || h === undefined || !near(g.scalar(h), 0.5, 0) || (g.consumers.get(by) ?? []).length !== 1 || g.outputs.has(by)) return undefined;
    nodes = [halfX, pre, erf, plus, times];
    out = times.outputs[0]!;
  }
  return { name: erf.name, opType: 'Gelu', domain: '', inputs: [x], outputs: [out], attrs: new Map(), fusedFrom: nodes };
}

/**
 * The model's nodes with every matched chain replaced by its fused node, placed where the chain's
 * last node was (all its operands are defined by then).
 */
export function recognisePatterns(model: OnnxModel): { nodes: OnnxNode[]; layernorms: number; gelus: number } {
  const g = new GraphIndex(model);
  const replaced = new Map<OnnxNode, FusedNode>();
  const claimed = new Set<OnnxNode>();
  let layernorms = 0;
  let gelus = 0;
  for (const n of model.nodes) {
    if (n.domain !== '' || claimed.has(n)) continue;
    const f = n.opType === 'ReduceMean' ? matchLayerNorm(g, n) : n.opType === 'Erf' ? matchGelu(g, n) : undefined;
    if (!f || f.fusedFrom.some((m) => claimed.has(m))) continue;
    for (const m of f.fusedFrom) claimed.add(m);
    replaced.set(f.fusedFrom[f.fusedFrom.length - 1]!, f);
    if (f.opType === 'Gelu') gelus++;
    else layernorms++;
  }
  const nodes: OnnxNode[] = [];
  for (const n of model.nodes) {
    const f = replaced.get(n);
    if (f) nodes.push(f);
    else if (!claimed.has(n)) nodes.push(n);
  }
  return { nodes, layernorms, gelus };
}
