import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, readSafetensors } from '../src/io/safetensors.js';
import type { Tensor } from '../src/interp/tensor.js';
import { bertc } from './support/cli.js';
import { BERT_PATH, weights } from './support/reference.js';

/**
 * `bertc grad --loss mlm` (Hugging Face BertForMaskedLM's head and CrossEntropyLoss(ignore_index=-100),
 * models/bert.ir) against test/fixtures/mlm_reference.safetensors, written by bench/mlm_reference.py
 * in float64 with PyTorch: seeded head weights over the shared bert tiny, the shared reference's
 * inputs, `loss.labels` (-100 on the ignored positions, padding included), the loss, and the
 * gradients of the head, of the tied word embeddings and of a few encoder parameters. Per tensor the
 * max abs difference must be at most 1e-4 of its largest magnitude (issue 11); the loss 1e-5 relative.
 */
const FIXTURE_PATH = fileURLToPath(new URL('./fixtures/mlm_reference.safetensors', import.meta.url));
const fixture = readSafetensors(FIXTURE_PATH);
const HEAD = fixture.names.filter((n) => n.startsWith('cls.predictions.'));

const dir = mkdtempSync(join(tmpdir(), 'bertc-mlm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** bert_tiny's weights and the fixture's head, one weights file; no pooler, as BertForMaskedLM has none. */
const WEIGHTS = join(dir, 'bert_tiny_mlm.safetensors');
const merged = new Map<string, Tensor>(weights.names.filter((n) => !n.startsWith('pooler.')).map((n) => [n, weights.get(n)]));
for (const n of HEAD) merged.set(n, fixture.get(n));
writeFileSync(WEIGHTS, encodeSafetensors(merged));

describe('bertc grad --loss mlm (BertForMaskedLM head, tied decoder, ignore_index -100)', () => {
  it('matches the float64 PyTorch loss and gradients', async () => {
    expect(HEAD.sort()).toEqual([
      'cls.predictions.bias',
      'cls.predictions.transform.LayerNorm.bias',
      'cls.predictions.transform.LayerNorm.weight',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.dense.weight',
    ]);
    const out = join(dir, 'grad.safetensors');
    const r = await bertc('grad', BERT_PATH, '--config', 'tiny', '--loss', 'mlm', '--weights', WEIGHTS, '--inputs', FIXTURE_PATH, '--output', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const got = readSafetensors(out);
    // A gradient for every parameter the loss reads: the encoder's and the head's, not the pooler's.
    expect([...got.names].sort()).toEqual(['loss', ...[...merged.keys()].map((n) => `grad.${n}`)].sort());

    const refLoss = fixture.get('loss').data[0]!;
    const loss = got.get('loss').data[0]!;
    expect(Math.abs(loss - refLoss) / Math.abs(refLoss)).toBeLessThan(1e-5);

    const refGrads = fixture.names.filter((n) => n.startsWith('grad.'));
    expect(refGrads).toContain('grad.embeddings.word_embeddings.weight');
    expect(refGrads.length).toBeGreaterThanOrEqual(HEAD.length + 3);
    let worst = { name: '', rel: 0 };
    for (const name of refGrads) {
      const want = fixture.get(name);
      const have = got.get(name);
      expect(have.shape, name).toEqual(want.shape);
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < want.data.length; i++) {
        scale = Math.max(scale, Math.abs(want.data[i]!));
        diff = Math.max(diff, Math.abs(have.data[i]! - want.data[i]!));
      }
      expect(scale, name).toBeGreaterThan(0);
      expect(diff / scale, name).toBeLessThan(1e-4);
      if (diff / scale > worst.rel) worst = { name, rel: diff / scale };
    }
    console.log(`mlm: loss ${loss} vs ${refLoss} (float64); worst gradient difference relative to its largest magnitude ${worst.rel.toExponential(2)} (${worst.name})`);
  });

  it('a label outside -100 .. V is E0023 naming the tensor and the position', async () => {
    const inputs = new Map<string, Tensor>(['input_ids', 'token_type_ids', 'attention_mask', 'loss.labels'].map((n) => [n, fixture.get(n)]));
    const labels = inputs.get('loss.labels')!;
    labels.data[1 * 16 + 4] = 512; // V = 512 rows: the ids are 0 .. 511
    const bad = join(dir, 'bad-labels.safetensors');
    writeFileSync(bad, encodeSafetensors(inputs));
    const out = join(dir, 'never.safetensors');
    const r = await bertc('grad', BERT_PATH, '--config', 'tiny', '--loss', 'mlm', '--weights', WEIGHTS, '--inputs', bad, '--output', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error[E0023]: input 'loss.labels' in ${bad} holds 512 at [1, 4]; its values must be in -100 .. 511 (as declared)`);
  });
});
