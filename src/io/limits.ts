/**
 * How much bertc reads of each kind of input, and the error that says why a file was refused:
 * pure, so the compile core applies the same limits to text that comes from a browser page.
 */
import { formatBytes, GiB, MiB } from './bytes.js';

/** A kind of input file: what messages call them, and the most bytes bertc reads of one. */
export interface InputKind {
  /** Plural: "bertc reads IR sources of at most 1 MiB". */
  readonly what: string;
  readonly maxBytes: number;
}

/**
 * The limits, documented in docs/diagnostics.md. An IR source of 1 MiB is over ten times the
 * flattened BERT-base (`bertc print --config base`, 80 KB); safetensors files are held whole in one
 * buffer, which Node 20 caps at 4 GiB (buffer.constants.MAX_LENGTH) (BERT-large in f32 is 1.3 GB); an accelerator
 * description is a few hundred bytes.
 */
export const INPUT_KINDS = {
  irSource: { what: 'IR sources', maxBytes: 1 * MiB },
  safetensors: { what: 'safetensors files', maxBytes: 4 * GiB },
  accelerator: { what: 'accelerator descriptions', maxBytes: 1 * MiB },
} as const satisfies Record<string, InputKind>;

/**
 * Why a file could not be read, as one line naming it. `code` is the diagnostic it becomes: E0027
 * for a file over its limit, E0025 for everything else.
 */
export class InputFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly code: 'E0025' | 'E0027',
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

export function tooLarge(file: string, kind: InputKind, found: string): InputFileError {
  return new InputFileError(`${file} ${found}; bertc reads ${kind.what} of at most ${formatBytes(kind.maxBytes)}`, file, 'E0027');
}

/** The message for a file of `size` bytes over `kind`'s limit, for text that did not come through `readInput`. */
export function sizeLimitMessage(file: string, kind: InputKind, size: number): string {
  return tooLarge(file, kind, `is ${formatBytes(size)}`).message;
}
