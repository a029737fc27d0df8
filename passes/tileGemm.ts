import type { Accelerator } from '../src/accel/accelerator.js';
import { gemmProblem, NoTileError, scheduleGemm, type GemmProblem, type GemmSchedule } from '../src/cost/gemm.js';
import { diagnosticError } from '../src/diag/diagnostics.js';
import type { Node } from '../src/ir/node.js';
import { isMatmul } from '../src/kernel/classify.js';
import { kernelsOf } from '../src/kernel/kernels.js';
import { definePass } from './pass.js';

function scheduleOrDiagnose(accel: Accelerator, p: GemmProblem, kernel: string, mm: Node): GemmSchedule {
  try {
    return scheduleGemm(accel, p);
  } catch (e) {
    if (e instanceof NoTileError) throw diagnosticError('E0029', { detail: `kernel '${kernel}': ${e.message}` }, mm.meta.span);
    throw e;
  }
}

export const tileGemm = definePass({
  name: 'tile-gemm',
  summary: "choose tile sizes and loop order for every GEMM on the module's accelerator",
  description: `For each GEMM kernel (batched attention GEMMs and GEMMs with epilogues included) and each on-chip
memory level, picks the tile of the output that stays resident, the k chunk that streams through it and
the loop order (which operand panel is kept), minimising the traffic into that level: with compute time
fixed by the array tile, that minimises predicted time. Tiles fit the level with double buffering, align
to the compute array, and respect the WebGPU limits when the accelerator has them. Identical shapes
share one search; the schedule is an attribute of the kernel that the backends obey.

  before:  kernel k3_gemm_bias_gelu { ... }                       (untiled: operands re-read per array tile)
  after:   kernel k3_gemm_bias_gelu { ... }  // L1 64x128x32 mn, L2 512x768x64 nm`,
  options: {},
  statistics: { gemms: 'GEMMs scheduled', shapes: 'distinct GEMM shapes searched' },
  run(m, _o, stats) {
    const accel = m.accel;
    if (!accel) throw new Error('tile-gemm needs an accelerator: pass --accel');
    const byShape = new Map<string, GemmSchedule>();
    const schedules = new Map<Node, GemmSchedule>();
    for (const k of kernelsOf(m)) {
      for (const mm of k.ops.filter(isMatmul)) {
        const p = gemmProblem(mm);
        const key = JSON.stringify(p);
        let s = byShape.get(key);
        if (!s) {
          s = scheduleOrDiagnose(accel, p, k.name, mm);
          byShape.set(key, s);
          stats.add('shapes');
        }
        schedules.set(mm, s);
        stats.add('gemms');
      }
    }
    return { ...m, schedules };
  },
});
