import { statSync } from 'node:fs';
import { didYouMean } from '../diag/suggest.js';
import { INPUT_KINDS, InputFileError, readInputText } from '../io/readInput.js';
import type { Accelerator } from './accelerator.js';
import { PRESETS } from './presets.js';
import { parseAccelerator } from './parse.js';
import { AcceleratorError } from './validate.js';

export { AcceleratorError } from './validate.js';

/**
 * The accelerator named by a preset name or a JSON file path. Presets win, so a file that happens
 * to be called like one is loaded as `./h100`.
 */
export function loadAccelerator(nameOrPath: string): Accelerator {
  const preset = PRESETS.get(nameOrPath);
  if (preset) return preset;
  if (!isFile(nameOrPath)) {
    const names = [...PRESETS.keys()];
    throw new AcceleratorError([
      `unknown accelerator '${nameOrPath}': not a preset and not a file${didYouMean(nameOrPath, names)}; presets: ${names.join(', ')}`,
    ]);
  }
  let text: string;
  try {
    text = readInputText(nameOrPath, INPUT_KINDS.accelerator);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new AcceleratorError([e.message]);
  }
  return parseAccelerator(text, nameOrPath);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
