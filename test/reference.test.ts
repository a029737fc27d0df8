import { describe, expect, it } from 'vitest';
import { interpret } from '../src/interp/interpret.js';
import type { Tensor } from '../src/interp/tensor.js';
import { bertGraph, embeddedBatch, maxAbsDiff, reference, weights } from './support/reference.js';

/**
 * The interpreter against Hugging Face's BertModel (bert_tiny, float64 reference outputs).
 * The reference holds batch 2 x sequence 16; row 1 pads its last 5 tokens.
 */

const param = (name: string) => weights.get(name);

function refInputs(): Map<string, Tensor> {
  return new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, reference.get(n)]));
}

describe('bert_tiny against Hugging Face', () => {
  for (const f64 of [false, true]) {
    it(`reproduces every hidden state and the pooler output (${f64 ? 'f64' : 'f32'})`, () => {
      const r = interpret(bertGraph('tiny'), refInputs(), param, { taps: true, f64 });
      for (const name of ['hidden_states.0', 'hidden_states.1', 'hidden_states.2']) {
        expect(maxAbsDiff(r.taps.get(name)!, reference.get(name)), name).toBeLessThan(1e-5);
      }
      expect(maxAbsDiff(r.outputs.get('last_hidden_state')!, reference.get('last_hidden_state'))).toBeLessThan(1e-5);
      expect(maxAbsDiff(r.outputs.get('pooler_output')!, reference.get('pooler_output'))).toBeLessThan(1e-5);
    });
  }

  const cases: [number, number][] = [[1, 16], [3, 16], [1, 11], [2, 13], [5, 17], [4, 40], [2, 64], [8, 64], [7, 33]];
  it.each(cases)('matches at batch %i x sequence %i with padding in any row (test/support/reference.ts: embeddedBatch)', (B, S) => {
    const { inputs, worst } = embeddedBatch(B, S, B * 1000 + S);
    expect(worst(interpret(bertGraph('tiny', { B, S }), inputs, param).outputs)).toBeLessThan(1e-4);
  });
});

describe('training-mode forward', () => {
  const run = (seed: number, sets: Record<string, number> = {}) =>
    interpret(bertGraph('tiny', sets), refInputs(), param, { train: true, seed }).outputs.get('last_hidden_state')!;

  it('is deterministic for a seed and differs between seeds', () => {
    expect(maxAbsDiff(run(7), run(7))).toBe(0);
    expect(maxAbsDiff(run(7), run(8))).toBeGreaterThan(1e-2);
  });

  it('equals inference when the dropout probabilities are 0', () => {
    const inference = interpret(bertGraph('tiny'), refInputs(), param).outputs.get('last_hidden_state')!;
    expect(maxAbsDiff(run(3, { p_hidden: 0, p_attn: 0 }), inference)).toBe(0);
  });
});
