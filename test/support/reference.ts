import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, loadText, Session } from '../../src/driver.js';
import type { Graph } from '../../src/ir/graph.js';
import type { PrecisionPolicy } from '../../src/ir/precision.js';
import { readSafetensors, type SafetensorsFile } from '../../src/io/safetensors.js';
import { makeTensor, type Tensor } from '../../src/interp/tensor.js';
import { rng } from './randomProgram.js';

/** The shared Hugging Face reference (../shared/reference from the repository root). */
export const REFERENCE_DIR = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));
export const WEIGHTS_PATH = `${REFERENCE_DIR}bert_tiny.safetensors`;
export const REFERENCE_PATH = `${REFERENCE_DIR}bert_tiny_reference.safetensors`;
export const BERT_PATH = fileURLToPath(new URL('../../models/bert.ir', import.meta.url));

/** A reference file, or one line saying what is missing: the tests that need it cannot run without it. */
function requireReference(path: string): SafetensorsFile {
  if (!existsSync(path)) throw new Error(`missing ${path}: these tests compare with the Hugging Face reference in ../shared/reference/ beside the repository`);
  return readSafetensors(path);
}

export const weights: SafetensorsFile = requireReference(WEIGHTS_PATH);
export const reference: SafetensorsFile = requireReference(REFERENCE_PATH);

export function bertGraph(config: string, sets: Record<string, number> = {}, precision?: PrecisionPolicy): Graph {
  const s = new Session();
  const p = loadText(s, 'models/bert.ir', readFileSync(BERT_PATH, 'utf8'));
  return build(s, p, { config, sets: new Map(Object.entries(sets)), precision }).graph;
}

export function maxAbsDiff(a: Tensor, b: Tensor, pick: (i: number) => boolean = () => true): number {
  if (a.data.length !== b.data.length) throw new Error(`sizes differ: ${a.data.length} vs ${b.data.length}`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) if (pick(i)) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

const H = 128;
const REF_S = 16;

/**
 * A batch of B sequences of length S built from the reference rows, so that outputs can be checked
 * against the reference at any shape: a reference row placed anywhere in a larger batch and followed
 * by padding (random tokens with mask 0) gives the same outputs on its tokens, because padded keys
 * get zero attention. Row 1, whose last 5 tokens are padding, can also be cut short (S 11 to 15).
 */
export function embeddedBatch(B: number, S: number, seed: number): { inputs: Map<string, Tensor>; worst: (outputs: ReadonlyMap<string, Tensor>) => number; meanAbs: (outputs: ReadonlyMap<string, Tensor>) => number } {
  const r = rng(seed);
  const ids = reference.get('input_ids').data;
  const types = reference.get('token_type_ids').data;
  const mask = reference.get('attention_mask').data;
  const input = { input_ids: makeTensor('i32', [B, S]), token_type_ids: makeTensor('i32', [B, S]), attention_mask: makeTensor('i32', [B, S]) };
  // Only row 1 can be shortened (its tokens 11..15 are padding already); row 0 needs all 16.
  const rows = Array.from({ length: B }, (_, b) => (S < REF_S || b === 0 ? 1 : Math.floor(r() * 2)));
  rows.forEach((src, b) => {
    for (let s = 0; s < S; s++) {
      const inRef = s < REF_S;
      input.input_ids.data[b * S + s] = inRef ? ids[src * REF_S + s]! : Math.floor(r() * 512);
      input.token_type_ids.data[b * S + s] = inRef ? types[src * REF_S + s]! : Math.floor(r() * 2);
      input.attention_mask.data[b * S + s] = inRef ? mask[src * REF_S + s]! : 0;
    }
  });
  /** Every compared element's absolute difference from the reference: the reference tokens' hidden states, then the pooled rows. */
  const differences = (outputs: ReadonlyMap<string, Tensor>): number[] => {
    const last = outputs.get('last_hidden_state')!;
    const pooled = outputs.get('pooler_output')!;
    const refLast = reference.get('last_hidden_state').data;
    const refPooled = reference.get('pooler_output').data;
    const d: number[] = [];
    rows.forEach((src, b) => {
      for (let s = 0; s < Math.min(S, REF_S); s++) {
        for (let h = 0; h < H; h++) d.push(Math.abs(last.data[(b * S + s) * H + h]! - refLast[(src * REF_S + s) * H + h]!));
      }
      for (let h = 0; h < H; h++) d.push(Math.abs(pooled.data[b * H + h]! - refPooled[src * H + h]!));
    });
    return d;
  };
  const worst = (outputs: ReadonlyMap<string, Tensor>) => differences(outputs).reduce((w, x) => Math.max(w, x), 0);
  const meanAbs = (outputs: ReadonlyMap<string, Tensor>) => {
    const d = differences(outputs);
    return d.reduce((s, x) => s + x, 0) / d.length;
  };
  return { inputs: new Map(Object.entries(input)), worst, meanAbs };
}
