/**
 * Runs a prepared model on the page's WebGPU device with the runtime every compiled model ships
 * with (targets/wgsl/runtime.js): the outputs, the wall time of a run, and each dispatch's GPU time
 * where the device has timestamp queries.
 */
import { createModel, openDevice, parseSafetensors, type OutputData } from '../../targets/wgsl/runtime.js';
import type { Runnable } from './protocol.js';

export interface GpuRun {
  readonly adapter: string;
  readonly outputs: Record<string, OutputData>;
  readonly wallMs: number;
  /** Per dispatch in order, or undefined where the device cannot time them (`why`). */
  readonly dispatches?: { kernel: string; ms: number }[];
  readonly why?: string;
}

export async function runOnGpu(r: Runnable): Promise<GpuRun> {
  const { adapter, device } = await openDevice(r.manifest);
  try {
    const model = await createModel(device, r.manifest, r.shaders, parseSafetensors(r.weights));
    try {
      const inputs = r.inputs;
      // The first run warms the pipelines; the wall time is the second's.
      await model.run({ inputs });
      const t0 = performance.now();
      const outputs = await model.run({ inputs });
      const wallMs = performance.now() - t0;
      const name = [adapter.info.vendor, adapter.info.architecture, adapter.info.description].filter(Boolean).join(' ') || 'unnamed adapter';
      if (!device.features.has('timestamp-query')) return { adapter: name, outputs, wallMs, why: "this device has no 'timestamp-query' feature" };
      const profiled = await model.profile({ inputs });
      return { adapter: name, outputs, wallMs, dispatches: profiled.dispatches };
    } finally {
      model.destroy();
    }
  } finally {
    device.destroy();
  }
}
