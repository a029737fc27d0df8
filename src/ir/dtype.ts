/** Element types of the IR. Floating types other than f32 are storage types: arithmetic on them
 * happens in the interpreter's working precision and is rounded back to the storage type. */
export const DTYPES = ['f32', 'f16', 'bf16', 'i32', 'i64', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

export function isFloat(d: DType): boolean {
  return d === 'f32' || d === 'f16' || d === 'bf16';
}

export function isInteger(d: DType): boolean {
  return d === 'i32' || d === 'i64';
}

/** The 16-bit float dtypes: stored in 16 bits, computed in f32. */
export type HalfFloat = 'f16' | 'bf16';

export function isHalfFloat(d: DType): d is HalfFloat {
  return d === 'f16' || d === 'bf16';
}

/**
 * The dtype a value is computed in, given the dtype it is stored in: 16-bit floats are storage
 * types, loaded into f32 registers and rounded back when stored; the others compute as stored.
 */
export function computeDtype(storage: DType): DType {
  return isHalfFloat(storage) ? 'f32' : storage;
}

/** Bytes one element occupies in memory (bool is one byte). */
export function byteSize(d: DType): number {
  switch (d) {
    case 'f32':
    case 'i32':
      return 4;
    case 'f16':
    case 'bf16':
      return 2;
    case 'i64':
      return 8;
    case 'bool':
      return 1;
  }
}

/** The dtype's most negative finite value, which Hugging Face adds to masked attention scores. */
export function lowestFinite(d: DType): number {
  switch (d) {
    case 'f32':
      return -3.4028234663852886e38;
    case 'f16':
      return -65504;
    case 'bf16':
      return -3.3895313892515355e38;
    case 'i32':
      return -2147483648;
    case 'i64':
      return Number.MIN_SAFE_INTEGER;
    case 'bool':
      return 0;
  }
}
