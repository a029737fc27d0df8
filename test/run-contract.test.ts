/**
 * `bertc run` keeps one contract on every target: sizes come from the inputs (no --set), integer
 * inputs are checked on the host against the values the model allows before any target runs, and
 * every mistake is the same diagnostic with the same exit code on interp, c and wgsl.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bertc } from './support/cli.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { encodeSafetensors, readSafetensors } from '../src/io/safetensors.js';
import { browserAvailable, browserRequired, browserSkipReason } from './support/browser.js';
import { BERT_PATH, embeddedBatch, maxAbsDiff, REFERENCE_PATH, WEIGHTS_PATH } from './support/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bertc-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inputsFile(name: string, inputs: ReadonlyMap<string, Tensor>): string {
  const path = join(dir, name);
  writeFileSync(path, encodeSafetensors(inputs));
  return path;
}

const run = (target: string, inputs: string, output: string, ...more: string[]) =>
  bertc('run', BERT_PATH, '--config', 'tiny', '--weights', WEIGHTS_PATH, '--inputs', inputs, '--output', output, '--target', target, ...more);

/** Reference inputs with one element replaced. */
function altered(input: string, flat: number, value: number): Map<string, Tensor> {
  const ref = readSafetensors(REFERENCE_PATH);
  const inputs = new Map(['input_ids', 'token_type_ids', 'attention_mask'].map((n) => [n, ref.get(n)]));
  const t = inputs.get(input)!;
  const copy = makeTensor(t.dtype, t.shape, Int32Array.from(t.data));
  copy.data[flat] = value;
  inputs.set(input, copy);
  return inputs;
}

const wgslReady = browserAvailable || browserRequired;
const TARGETS = ['interp', 'c', ...(wgslReady ? ['wgsl'] : [])];

describe(`bertc run on every target${wgslReady ? '' : ` (wgsl: ${browserSkipReason})`}`, () => {
  // Shapes whose every token can be checked against Hugging Face: S >= 11 (see embeddedBatch).
  for (const [B, S] of [[1, 64], [3, 40]] as const) {
    for (const target of TARGETS) {
      it(`takes B=${B} and S=${S} from the inputs on ${target}, within 1e-4 of Hugging Face`, async () => {
        const { inputs, worst } = embeddedBatch(B, S, B * 100 + S);
        const out = join(dir, `${target}-${B}x${S}.safetensors`);
        const r = await run(target, inputsFile(`in-${B}x${S}.safetensors`, inputs), out);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        const f = readSafetensors(out);
        expect(f.info('last_hidden_state').shape).toEqual([B, S, 128]);
        expect(worst(new Map(f.names.map((n) => [n, f.get(n)])))).toBeLessThan(1e-4);
      }, 60_000);
    }
  }

  // S = 7 cuts into the reference's tokens, so the targets are compared with the interpreter here.
  it('takes B=4 and S=7 from the inputs, every target agreeing with the interpreter within 1e-4', async () => {
    const ids = makeTensor('i32', [4, 7]);
    const types = makeTensor('i32', [4, 7]);
    const mask = makeTensor('i32', [4, 7]);
    for (let i = 0; i < 28; i++) {
      ids.data[i] = (i * 37 + 11) % 512;
      types.data[i] = (i >> 2) % 2;
      mask.data[i] = i % 7 < 5 + (i % 3) ? 1 : 0;
    }
    const path = inputsFile('in-4x7.safetensors', new Map([['input_ids', ids], ['token_type_ids', types], ['attention_mask', mask]]));
    const results = new Map<string, ReturnType<typeof readSafetensors>>();
    for (const target of TARGETS) {
      const out = join(dir, `${target}-4x7.safetensors`);
      const r = await run(target, path, out);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      results.set(target, readSafetensors(out));
    }
    const interp = results.get('interp')!;
    for (const [target, f] of results) {
      for (const name of ['last_hidden_state', 'pooler_output']) {
        expect(maxAbsDiff(f.get(name), interp.get(name)), `${target} ${name}`).toBeLessThan(1e-4);
      }
    }
  }, 90_000);

  const cases: readonly (readonly [string, string, number, number, RegExp])[] = [
    ['an out-of-range token id', 'input_ids', 5, 512, /input 'input_ids' in \S+ holds 512 at \[0, 5\]; its values must be in 0 \.\. 511 \(it indexes axis 0 of the table 'embeddings\.word_embeddings\.weight'\)/],
    ['a negative token id', 'input_ids', 17, -1, /holds -1 at \[1, 1\]/],
    ['a token type past the type table', 'token_type_ids', 3, 2, /input 'token_type_ids' .* holds 2 at \[0, 3\]; its values must be 0 or 1 \(it indexes axis 0 of the table 'embeddings\.token_type_embeddings\.weight'\)/],
    ['a mask value other than 0 or 1', 'attention_mask', 20, 2147483647, /input 'attention_mask' .* holds 2147483647 at \[1, 4\]; its values must be 0 or 1 \(as declared\)/],
  ];
  for (const [what, input, at, value, message] of cases) {
    it(`rejects ${what} before running, with the same message on every target`, async () => {
      const path = inputsFile(`bad-${input}-${value}.safetensors`, altered(input, at, value));
      const messages = new Set<string>();
      for (const target of TARGETS) {
        const out = join(dir, `never-${target}.safetensors`);
        const r = await run(target, path, out);
        expect(r.code, `${target}: ${r.err}`).toBe(1);
        expect(r.err).toMatch(message);
        expect(r.err).not.toContain('internal');
        messages.add(r.err);
        expect(() => readSafetensors(out)).toThrow();
      }
      expect(messages.size).toBe(1);
    }, 60_000);
  }
});
