/**
 * Tensors as the WebGPU runtime (runtime.js) takes and gives them on the host: f32 as
 * Float32Array, integers as Int32Array, and f16 and bf16 as their bits in a Uint16Array. Free of
 * Node, so that the headless-Chromium runner and the playground page share it.
 */
import { isHalfFloat } from '../../src/ir/dtype.js';
import type { Tensor } from '../../src/interp/tensor.js';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../../src/io/halfFloat.js';

/** The bits of values rounded to f16 or bf16 (to nearest, ties to even), as a 16-bit input takes them. */
export function halfBits(values: ArrayLike<number>, dtype: 'f16' | 'bf16'): Uint16Array {
  const encode = dtype === 'f16' ? f32ToF16Bits : f32ToBf16Bits;
  return Uint16Array.from({ length: values.length }, (_, i) => encode(values[i]!));
}

/** The values of f16 or bf16 bits, as a 16-bit output holds them. */
export function halfValues(bits: ArrayLike<number>, dtype: 'f16' | 'bf16'): Float32Array {
  const decode = dtype === 'f16' ? f16BitsToF32 : bf16BitsToF32;
  return Float32Array.from({ length: bits.length }, (_, i) => decode(bits[i]!));
}

/** Bound host tensors as a run's inputs. */
export function pageInputs(inputs: ReadonlyMap<string, Tensor>): Record<string, Float32Array | Int32Array | Uint16Array> {
  return Object.fromEntries([...inputs].map(([k, t]) => [k, isHalfFloat(t.dtype) ? halfBits(t.data, t.dtype) : t.dtype === 'f32' ? Float32Array.from(t.data) : Int32Array.from(t.data)]));
}
