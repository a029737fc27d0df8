import { isBackward } from '../src/ir/autodiff.js';
import { applyPrecision, defaultPolicy, PRECISION_CLASSES, PRECISION_MODES, type PrecisionClass, type PrecisionMode, type PrecisionPolicy } from '../src/ir/precision.js';
import { verifyGraph } from '../src/ir/verify.js';
import { remapPartition } from '../src/kernel/partition.js';
import { definePass, type OptionValues } from './pass.js';

const DEFAULT = defaultPolicy('bf16');

const OPTIONS = {
  mode: { kind: 'enum', default: DEFAULT.mode, values: [...PRECISION_MODES], doc: 'the low precision: bf16 or f16 (f32 changes nothing)' },
  low: { kind: 'list', default: [...DEFAULT.low], values: [...PRECISION_CLASSES], doc: `op classes computed from operands in the low precision and stored in it: ${PRECISION_CLASSES.join(', ')}` },
  f32: { kind: 'list', default: [...DEFAULT.f32], values: [...PRECISION_CLASSES], doc: 'op classes computed from f32 operands; the others follow their operands' },
} as const;

/** The policy a pass step's options describe (what `--precision` builds its step from, too). */
export function policyOf(o: OptionValues<typeof OPTIONS>): PrecisionPolicy {
  return { mode: o.mode as PrecisionMode, low: o.low as readonly PrecisionClass[], f32: o.f32 as readonly PrecisionClass[] };
}

export const precision = definePass({
  name: 'precision',
  summary: 'mixed precision: casts that store GEMM operands and most activations in bf16 or f16',
  description: `Autocast as a graph rewrite (docs/precision.md). Each op computes from operands in the dtype its
class asks for: 'low' classes in bf16 or f16 (GEMMs accumulate in f32 all the same), 'f32' classes in
f32, and every other op in the widest dtype of the activations it reads, so a bias meets a GEMM's
16-bit output in 16 bits and a residual sum stays in f32. The casts are placed once per value and
dtype; fusion then carries them inside the kernels around them, so a cast rides along with the kernel
that writes or reads the value. Outputs keep their dtypes. bertc's --precision option applies this
policy to the forward pass before autodiff, so that training keeps f32 master weights and the casts'
gradients bring the weights' gradients back to f32; as a pipeline step it applies to a forward pass.

  before:  y = matmul(x, w) + b;                       (x, w, b: f32)
  after:   y = cast(matmul(cast(x, to=bf16), cast(w, to=bf16)) + cast(b, to=bf16), to=f32)`,
  options: OPTIONS,
  statistics: { casts: 'casts placed' },
  approximates: true,
  run(m, o, stats) {
    const policy = policyOf(o);
    if (policy.mode === 'f32') return m;
    // The CLI refuses this combination; a training step takes its policy before autodiff.
    if (m.graph.body.some(isBackward)) throw new Error('internal: the precision pass rewrites forward passes only (use BuildOptions.precision)');
    const { graph, map } = applyPrecision(m.graph, policy);
    verifyGraph(graph, 'precision');
    const before = new Set(m.graph.body);
    stats.add('casts', graph.body.filter((n) => n.op === 'cast' && !before.has(n)).length);
    return { ...m, graph, partition: remapPartition(m.partition, map, graph) };
  },
});
