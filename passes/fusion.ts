import { describeOrigin, type Node } from '../src/ir/node.js';
import { isElementwise, isGather, isInline, isMovement } from '../src/kernel/classify.js';
import { bytesOf } from '../src/kernel/kernels.js';
import type { FusionDecision, Module } from '../src/kernel/module.js';
import { PartitionBuilder } from '../src/kernel/partition.js';

/**
 * What the fusion passes share: the partition builder, the group predicates they test, and the log
 * of decisions with the bytes each one saves.
 */

export function describeNode(n: Node): string {
  const where = describeOrigin(n.meta);
  return `${n.op}${n.meta.hint ? ` '${n.meta.hint}'` : ''} [${n.meta.scope || 'model'}]${where && ` ${where}`}`;
}

export class FusionContext {
  readonly b: PartitionBuilder;
  decisions: FusionDecision[] = [];

  constructor(readonly m: Module, readonly pass: string) {
    this.b = new PartitionBuilder(m.graph, m.partition);
    this.roots = new Set([...m.graph.outputs.map((o) => o.node), ...m.graph.taps.map((t) => t.node)]);
  }

  /** A group of per-element work only: elementwise ops, plus movement ops stored through. */
  isElementwiseGroup(g: number): boolean {
    return this.b.members(g).every((n) => isElementwise(n) || isMovement(n));
  }

  /** Elementwise work and embedding lookups: what a row kernel can compute as its prologue. */
  isPrologueGroup(g: number): boolean {
    return this.b.members(g).every((n) => isElementwise(n) || isMovement(n) || isGather(n));
  }

  /** The model's results and taps: values that must be stored whatever kernel computes them. */
  private readonly roots: ReadonlySet<Node>;

  /**
   * Is `n` a result or tap, itself or through a chain of views (a result that is a reshape of `n`
   * is `n`'s buffer seen in another shape, so `n` must be stored)?
   */
  isResult(n: Node): boolean {
    return this.roots.has(n) || (this.b.readers.get(n) ?? []).some((u) => this.b.isView(u) && this.isResult(u));
  }

  /** Members of `g` that are read outside `g` or are results, directly or through views: the group's outputs. */
  outputs(g: number): Node[] {
    return this.b.members(g).filter((n) => this.isResult(n) || this.b.consumers(n).some((c) => this.b.group(c) !== g));
  }

  /** Does every output of `from` go only to `to` (so fusing removes its store and reload entirely)? */
  onlyFeeds(from: number, to: number): boolean {
    return this.outputs(from).every((n) => !this.isResult(n) && this.b.consumers(n).every((c) => this.b.group(c) === from || this.b.group(c) === to));
  }

  /**
   * A view through which a member of one group reads a member of the other, if any. Merging them
   * would put the view inside a kernel: views stand between kernels (a plan prints them outside
   * every block), and a row kernel that read its own result through, say, a transpose of a square
   * tile would read other rows than its own.
   */
  viewBetween(a: number, b: number): Node | undefined {
    for (const [reader, source] of [[a, b], [b, a]] as const) {
      for (const n of this.b.members(reader)) for (const s of n.srcs) if (this.b.isView(s) && this.viewReaches(s, source)) return s;
    }
    return undefined;
  }

  /** Does the view `v` show, through its chain of views, a value that group `g` computes? */
  private viewReaches(v: Node, g: number): boolean {
    return v.srcs.some((s) => this.b.group(s) === g || (this.b.isView(s) && this.viewReaches(s, g)));
  }

  /** DRAM bytes saved by not writing `from`'s outputs and not reading them back in `to`. */
  savedBytes(from: number): number {
    return this.outputs(from).reduce((s, n) => s + 2 * bytesOf(n), 0);
  }

  /**
   * Would a kernel of these groups bind no more storage buffers than the accelerator allows (WebGPU's
   * per-stage limit)? It binds each value it reads from elsewhere (a view, the buffer under it) and
   * each output. Without such a limit (a CPU) every merge fits.
   */
  fitsBindings(...groups: number[]): boolean {
    const limit = this.m.accel?.webgpu?.max_storage_buffers_per_stage;
    if (limit === undefined) return true;
    const members = new Set(groups.flatMap((g) => this.b.members(g)));
    const buffer = (n: Node): Node => (this.b.isView(n) && !members.has(n) ? buffer(n.srcs[0]!) : n);
    const reads = new Set<Node>();
    for (const n of members) for (const s of n.srcs) if (!members.has(s) && !isInline(buffer(s))) reads.add(buffer(s));
    const outputs = [...members].filter((n) => this.isResult(n) || this.b.consumers(n).some((c) => !members.has(c)));
    return reads.size + outputs.length <= limit;
  }

  /**
   * What merging `from` into `to` saves: when `from` feeds only `to`, its stores and reloads
   * (`alone`); when others read it too, it stays stored for them and only `to`'s reads are saved.
   */
  mergeSavings(from: number, to: number): { readonly alone: boolean; readonly bytes: number } {
    if (this.onlyFeeds(from, to)) return { alone: true, bytes: this.savedBytes(from) };
    const read = this.outputs(from).filter((n) => this.b.consumers(n).some((c) => this.b.group(c) === to));
    return { alone: false, bytes: read.reduce((s, n) => s + bytesOf(n), 0) };
  }

  decide(rule: string, fused: boolean, producer: Node, consumer: Node, bytes: number, detail = ''): void {
    this.decisions.push({ pass: this.pass, rule, fused, producer: describeNode(producer), consumer: describeNode(consumer), bytes, detail });
  }

  finish(): Module {
    return { ...this.m, partition: this.b.build(), decisions: [...this.m.decisions, ...this.decisions] };
  }
}

/** The value a group hands on (its first output), to name the group in decisions. */
export function anchorOf(c: FusionContext, g: number): Node {
  return c.outputs(g)[0] ?? c.b.members(g)[0]!;
}
