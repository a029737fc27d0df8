import type { DType } from '../ir/dtype.js';
import { numel, type Shape } from '../ir/shape.js';

/**
 * A dense row-major tensor at run time.
 *
 * Storage by dtype: f32 in Float32Array (Float64Array in the interpreter's f64 mode); f16 and bf16
 * as their values rounded to that type, in a Float32Array; i32 in Int32Array; i64 in a
 * Float64Array (exact for |v| < 2^53, which covers every index BERT uses); bool in Uint8Array.
 */
export type TensorData = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface Tensor {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly data: TensorData;
}

export function allocData(dtype: DType, n: number, f64: boolean): TensorData {
  switch (dtype) {
    case 'f32':
      return f64 ? new Float64Array(n) : new Float32Array(n);
    case 'f16':
    case 'bf16':
      return f64 ? new Float64Array(n) : new Float32Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'i64':
      return new Float64Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

export function makeTensor(dtype: DType, shape: Shape, data?: TensorData, f64 = false): Tensor {
  const n = numel(shape);
  const d = data ?? allocData(dtype, n, f64);
  if (d.length !== n) throw new Error(`tensor data has ${d.length} elements, shape ${JSON.stringify(shape)} needs ${n}`);
  return { dtype, shape: [...shape], data: d };
}
