import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Tensor } from '../../src/interp/tensor.js';
import { encodeSafetensors, readSafetensors } from '../../src/io/safetensors.js';
import { bertc } from './cli.js';
import { BERT_PATH, weights } from './reference.js';

/** AdamW's hyper-parameters of the training tests, off PyTorch's defaults so that a mix-up shows. */
export const HYPER = { lr: 1e-3, weightDecay: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-8 };
export const HYPER_FLAGS = ['--lr', String(HYPER.lr), '--weight-decay', String(HYPER.weightDecay), '--beta1', String(HYPER.beta1), '--beta2', String(HYPER.beta2), '--eps', String(HYPER.eps)];

/** The mlm batch (input_ids, masks, loss.labels) and the head's weights, from BertForMaskedLM. */
export const MLM_FIXTURE = fileURLToPath(new URL('../fixtures/mlm_reference.safetensors', import.meta.url));

/** bert tiny's weights with the mlm head's (cls.predictions.*) in place of the pooler, written into `dir`. */
export function mlmWeights(dir: string): string {
  const head = readSafetensors(MLM_FIXTURE);
  const merged = new Map<string, Tensor>(weights.names.filter((n) => !n.startsWith('pooler.')).map((n) => [n, weights.get(n)]));
  for (const n of head.names.filter((x) => x.startsWith('cls.predictions.'))) merged.set(n, head.get(n));
  const path = join(dir, 'bert_tiny_mlm.safetensors');
  writeFileSync(path, encodeSafetensors(merged));
  return path;
}

/** `bertc train` on bert tiny into `dir`: each step's loss from its progress lines, and the state written. */
export async function train(dir: string, target: string, loss: string, weightsPath: string, inputs: string, steps: number, extra: string[] = []) {
  const out = join(dir, `${loss}-${target}-${steps}-${extra.join('')}.safetensors`.replace(/[^\w.-]/g, '_'));
  const r = await bertc('train', BERT_PATH, '--config', 'tiny', '--loss', loss, '--weights', weightsPath, '--inputs', inputs, '--steps', String(steps), ...HYPER_FLAGS, '--output', out, '--target', target, ...extra);
  expect(r.code, r.err).toBe(0);
  const losses = [...r.err.matchAll(/^step +\d+\/\d+ +loss (\S+)$/gm)].map((m) => Number(m[1]));
  expect(losses).toHaveLength(steps);
  return { state: readSafetensors(out), losses, out: r.out };
}
