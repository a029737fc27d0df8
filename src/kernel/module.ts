import type { Accelerator } from '../accel/accelerator.js';
import type { GemmSchedule } from '../cost/gemm.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';

/** One fusion candidate and what was decided about it; `bertc opt --fusion-report` prints these. */
export interface FusionDecision {
  readonly pass: string;
  readonly rule: string;
  readonly fused: boolean;
  /** The value (or kernel) that would be absorbed, and where. */
  readonly producer: string;
  readonly consumer: string;
  /** DRAM bytes the fusion saves, or would have saved. */
  readonly bytes: number;
  readonly detail: string;
}

/**
 * Which kernel each node belongs to. Compute nodes map to a group number; movement nodes folded
 * into their readers' indexing are `views` and belong to no kernel; sources (inputs, params,
 * constants, iota) belong to none either.
 */
export interface Partition {
  readonly groupOf: ReadonlyMap<Node, number>;
  readonly views: ReadonlySet<Node>;
  /** Names given to groups by a printed kernel plan, kept when it is parsed back. */
  readonly names?: ReadonlyMap<number, string>;
}

/**
 * What flows through the pass pipeline: the graph, its kernel partition and the fusion log. A Module
 * is immutable (a pass returns a new one), so its kernels are computed once, by `kernelsOf` in
 * `kernels.ts`, and shared by the passes, the cost model, statistics, the report and the backends.
 */
export interface Module {
  readonly graph: Graph;
  readonly partition: Partition;
  readonly decisions: readonly FusionDecision[];
  /** Training-mode forward (dropout active); in inference dropout is the identity. */
  readonly train: boolean;
  /** The accelerator the plan is for; tile-gemm and the cost model need it. */
  readonly accel?: Accelerator;
  /** Tiling of each GEMM, by its matmul node, as chosen by tile-gemm. */
  readonly schedules?: ReadonlyMap<Node, GemmSchedule>;
}
