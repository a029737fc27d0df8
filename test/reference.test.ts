import { describe, expect, it } from 'vitest';
import { interpret } from '../src/interp/interpret.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { bertGraph, maxAbsDiff, reference, weights } from './support/reference.js';
import { rng } from './support/randomProgram.js';

/**
 * The interpreter against Hugging Face's BertModel (bert_tiny, float64 reference outputs).
 * The reference holds batch 2 x sequence 16; row 1 pads its last 5 tokens.
 */

const H = 128;
const REF_S = 16;
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

  /**
   * Other shapes, checked against the same reference: a reference row placed anywhere in a larger
   * batch and followed by padding (random tokens with mask 0) must give the same outputs on its
   * tokens, because padded keys get zero attention. Row 1, whose last 5 tokens are padding, can
   * also be cut short, which gives sequence lengths 11 to 15.
   */
  const cases: [number, number][] = [[1, 16], [3, 16], [1, 11], [2, 13], [5, 17], [4, 40], [2, 64], [8, 64], [7, 33]];
  it.each(cases)('matches at batch %i x sequence %i with padding in any row', (B, S) => {
    const r = rng(B * 1000 + S);
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
    const out = interpret(bertGraph('tiny', { B, S }), new Map(Object.entries(input)), param);
    const last = out.outputs.get('last_hidden_state')!;
    const pooled = out.outputs.get('pooler_output')!;
    const refLast = reference.get('last_hidden_state').data;
    const refPooled = reference.get('pooler_output').data;
    let worst = 0;
    rows.forEach((src, b) => {
      for (let s = 0; s < Math.min(S, REF_S); s++) {
        for (let h = 0; h < H; h++) worst = Math.max(worst, Math.abs(last.data[(b * S + s) * H + h]! - refLast[(src * REF_S + s) * H + h]!));
      }
      for (let h = 0; h < H; h++) worst = Math.max(worst, Math.abs(pooled.data[b * H + h]! - refPooled[src * H + h]!));
    });
    expect(worst).toBeLessThan(1e-4);
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
