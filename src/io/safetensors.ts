/**
 * Safetensors files on disk: the format (`safetensorsFormat.ts`) plus reading within the size limit
 * for weights and inputs. Written files go through `output.ts`, atomically.
 */
import { INPUT_KINDS, InputFileError, readInput } from './readInput.js';
import { parseSafetensors, SafetensorsError, type SafetensorsFile } from './safetensorsFormat.js';

export * from './safetensorsFormat.js';

/** Reads and validates a whole file; tensors are decoded lazily by `get`. */
export function readSafetensors(file: string): SafetensorsFile {
  return parseSafetensors(readSafetensorsBytes(file), file);
}

/** The bytes of a file, read within the size limit for safetensors files; not validated. */
export function readSafetensorsBytes(file: string): Uint8Array {
  try {
    return readInput(file, INPUT_KINDS.safetensors);
  } catch (e) {
    if (e instanceof InputFileError) throw new SafetensorsError(e.message, file, e.code);
    throw e;
  }
}
