import { carriesGradient, isBackward } from '../ir/autodiff.js';
import { graphNodes, type Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { isElementwise, isInline, isMemorySource, isMovement, isRandom, isViewable, weightTransforms } from './classify.js';
import { bytesOf, kernelsOf, type Kernel } from './kernels.js';
import type { Module } from './module.js';
import { phaseOf } from './stats.js';

/**
 * What a training step keeps from its forward pass for its backward pass (docs/autodiff.md), and
 * which forward values the `recompute` pass may compute again instead.
 */

/** The classes of forward value the backward can recompute: `recompute{classes=...}`. */
export const RECOMPUTE_CLASSES = ['elementwise', 'dropout'] as const;

/** The named policies: the class lists `bertc report` compares. */
export const RECOMPUTE_POLICIES: readonly { readonly name: string; readonly classes: readonly string[] }[] = [
  { name: 'keep', classes: [] },
  { name: 'recompute', classes: [...RECOMPUTE_CLASSES] },
];

/**
 * Is `n` a forward value of one of `classes` (a view counts as its source's class)? Sources,
 * constants and backward work are never recomputed: they are in memory, free, or not forward.
 */
export function recomputable(n: Node, classes: ReadonlySet<string>): boolean {
  if (isBackward(n) || isMemorySource(n) || isInline(n)) return false;
  if (isMovement(n)) return n.srcs.every((s) => isInline(s) || recomputable(s, classes));
  if (isRandom(n)) return classes.has('dropout');
  return isElementwise(n) && classes.has('elementwise');
}

/**
 * A forward value a gradient rule computes again (`x > 0` for relu's gradient): elementwise, so it
 * is computed inside the backward kernel that reads it, and what it reads is what the backward keeps.
 */
function ridesAlong(n: Node): boolean {
  return isBackward(n) && !carriesGradient(n) && (isElementwise(n) || isMovement(n));
}

export interface KeptForBackward {
  /** Forward values held in memory from the forward pass until the backward reads them. */
  readonly values: number;
  readonly bytes: number;
}

/** The tensor a view shows: views are strided reads, so their source is what is held. */
const stored = (v: Node): Node => (isViewable(v) ? stored(v.srcs[0]!) : v);

/**
 * Which forward values (as backward work reads them: views included) the backward of `g` gets its
 * own copy of under `classes`. Each candidate (a value of those classes that backward work reads)
 * is recomputed from the kept values its chain reaches when they hold fewer bytes than it does,
 * counting as free those already kept; the largest are decided first. So dropout after softmax is recomputed from the softmax output the
 * backward keeps anyway, and an embedding sum stays kept rather than keeping its three lookups
 * (AOTAutograd's min-cut partitioner, greedily). With no classes, everything read is kept.
 */
export function planRecompute(g: Graph, classes: ReadonlySet<string>): ReadonlySet<Node> {
  const once = weightTransforms(g);
  const held = (v: Node) => !carriesGradient(v) && !ridesAlong(v) && !isMemorySource(v) && !isInline(v) && !once.has(v);
  const candidates = new Set<Node>();
  const saved = new Set<Node>();
  for (const n of graphNodes(g)) {
    if (!isBackward(n)) continue;
    for (const s of n.srcs) {
      if (!held(stored(s))) continue;
      if (recomputable(s, classes)) candidates.add(s);
      else saved.add(stored(s));
    }
  }
  const frontiers = new Map<Node, Set<Node>>();
  const frontier = (v: Node): Set<Node> => {
    let f = frontiers.get(v);
    if (!f) {
      f = new Set(v.srcs.flatMap((s) => (recomputable(s, classes) ? [...frontier(s)] : held(stored(s)) ? [stored(s)] : [])));
      frontiers.set(v, f);
    }
    return f;
  };
  const recompute = new Set<Node>();
  for (const c of [...candidates].sort((a, b) => bytesOf(stored(b)) - bytesOf(stored(a)))) {
    const extra = [...frontier(c)].filter((k) => !saved.has(k)).reduce((t, k) => t + bytesOf(k), 0);
    if (extra < bytesOf(stored(c))) {
      recompute.add(c);
      for (const k of frontier(c)) saved.add(k);
    } else saved.add(stored(c));
  }
  return recompute;
}

/**
 * What the compiled plan keeps for its backward pass: the tensors forward kernels store that
 * backward kernels read. This is what memory holds between the two, fusion included (a row kernel
 * of the forward may store layernorm's normalised rows for the backward in place of its input).
 */
export function keptForBackward(m: Module): KeptForBackward {
  const ks = kernelsOf(m);
  const producer = new Map<Node, Kernel>();
  for (const k of ks) for (const o of k.outputs) producer.set(o, k);
  const kept = new Set<Node>();
  for (const k of ks) {
    if (phaseOf(k) !== 'backward') continue;
    for (const i of k.inputs) {
      const p = producer.get(i);
      if (p && !p.init && phaseOf(p) === 'forward') kept.add(i);
    }
  }
  return { values: kept.size, bytes: [...kept].reduce((t, v) => t + bytesOf(v), 0) };
}
