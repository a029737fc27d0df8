import type { DType } from './dtype.js';
import { formatShape, shapeEquals, type Shape } from './shape.js';

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export function tensorType(dtype: DType, shape: Shape): TensorType {
  return { dtype, shape: Object.freeze([...shape]) };
}

export function typeEquals(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && shapeEquals(a.shape, b.shape);
}

/** `f32[2, 16, 128]`, the syntax of the IR itself. */
export function formatType(t: TensorType): string {
  return `${t.dtype}${formatShape(t.shape)}`;
}
