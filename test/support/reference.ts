import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, loadText, Session } from '../../src/driver.js';
import type { Graph } from '../../src/ir/graph.js';
import { readSafetensors, type SafetensorsFile } from '../../src/io/safetensors.js';
import type { Tensor } from '../../src/interp/tensor.js';

/** The shared Hugging Face reference (../shared/reference from the repository root). */
export const REFERENCE_DIR = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));
export const WEIGHTS_PATH = `${REFERENCE_DIR}bert_tiny.safetensors`;
export const REFERENCE_PATH = `${REFERENCE_DIR}bert_tiny_reference.safetensors`;
export const BERT_PATH = fileURLToPath(new URL('../../models/bert.ir', import.meta.url));

export const weights: SafetensorsFile = readSafetensors(WEIGHTS_PATH);
export const reference: SafetensorsFile = readSafetensors(REFERENCE_PATH);

export function bertGraph(config: string, sets: Record<string, number> = {}): Graph {
  const s = new Session();
  const p = loadText(s, 'models/bert.ir', readFileSync(BERT_PATH, 'utf8'));
  return build(s, p, { config, sets: new Map(Object.entries(sets)) }).graph;
}

export function maxAbsDiff(a: Tensor, b: Tensor, pick: (i: number) => boolean = () => true): number {
  if (a.data.length !== b.data.length) throw new Error(`sizes differ: ${a.data.length} vs ${b.data.length}`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) if (pick(i)) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}
