import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bertc } from './support/cli.js';
import { makeTensor } from '../src/interp/tensor.js';
import { encodeSafetensors, readSafetensors } from '../src/io/safetensors.js';
import { BERT_PATH, maxAbsDiff, reference, REFERENCE_PATH, WEIGHTS_PATH } from './support/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bertc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runArgs = (output: string, ...more: string[]) => ['run', BERT_PATH, '--config', 'tiny', '--weights', WEIGHTS_PATH, '--inputs', REFERENCE_PATH, '--output', output, ...more];

describe('bertc CLI', () => {
  it('explains itself', async () => {
    const r = await bertc('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Examples:');
    expect(r.out).toContain('Exit codes');
    const run = await bertc('run', '--help');
    expect(run.out).toContain('--train');
  });

  it('reports bad usage with exit code 2', async () => {
    expect((await bertc('frobnicate')).code).toBe(2);
    expect((await bertc('check', BERT_PATH, '--set', 'B=many')).code).toBe(2);
    const cfg = await bertc('check', BERT_PATH, '--config', 'huge');
    expect(cfg.code).toBe(2);
    expect(cfg.err).toContain("unknown config 'huge'");
    expect((await bertc('check', BERT_PATH, '--config', 'tiny', '--set', 'Q=3')).code).toBe(2);
  });

  it('checks every config when none is named', async () => {
    const r = await bertc('check', BERT_PATH);
    expect(r.code).toBe(0);
    expect(r.out.match(/: ok \(config (\w+)\)/g)).toHaveLength(3);
  });

  it('runs bert_tiny on the reference inputs and writes outputs and taps', async () => {
    const out = join(dir, 'out.safetensors');
    const r = await bertc(...runArgs(out, '--taps'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const f = readSafetensors(out);
    expect(f.names).toEqual(['hidden_states.0', 'hidden_states.1', 'hidden_states.2', 'last_hidden_state', 'pooler_output']);
    expect(maxAbsDiff(f.get('last_hidden_state'), reference.get('last_hidden_state'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(f.get('pooler_output'), reference.get('pooler_output'))).toBeLessThan(1e-4);
  });

  it('writes byte-identical output for the same training seed', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `${n}.safetensors`));
    await bertc(...runArgs(a!, '--train', '--seed', '5'));
    await bertc(...runArgs(b!, '--train', '--seed', '5'));
    await bertc(...runArgs(c!, '--train', '--seed', '6'));
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  it('takes B and S from int64 inputs', async () => {
    const B = 1;
    const S = 9;
    const ids = makeTensor('i64', [B, S]);
    const mask = makeTensor('i64', [B, S]);
    for (let i = 0; i < S; i++) {
      ids.data[i] = 100 + i;
      mask.data[i] = 1;
    }
    const inputs = join(dir, 'in64.safetensors');
    writeFileSync(inputs, encodeSafetensors({ input_ids: ids, token_type_ids: makeTensor('i64', [B, S]), attention_mask: mask }));
    const out = join(dir, 'out64.safetensors');
    const r = await bertc('run', BERT_PATH, '-c', 'tiny', '-w', WEIGHTS_PATH, '-i', inputs, '-o', out);
    expect(r.code).toBe(0);
    expect(readSafetensors(out).info('last_hidden_state').shape).toEqual([B, S, 128]);
  });

  it('leaves no output behind when it fails', async () => {
    const out = join(dir, 'never.safetensors');
    const missing = await bertc('run', BERT_PATH, '-c', 'tiny', '-w', join(dir, 'nope.safetensors'), '-i', REFERENCE_PATH, '-o', out);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.safetensors');
    const wrongWeights = await bertc('run', BERT_PATH, '-c', 'base', '-w', WEIGHTS_PATH, '-i', REFERENCE_PATH, '-o', out);
    expect(wrongWeights.code).toBe(1);
    expect(wrongWeights.err).toContain('error[E0022]');
    expect(existsSync(out)).toBe(false);
  });

  it('rejects inputs whose shapes disagree with --set', async () => {
    const r = await bertc(...runArgs(join(dir, 'x.safetensors'), '--set', 'S=12'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('S = 16');
  });

  it('prints re-parseable flattened IR', async () => {
    const r = await bertc('print', BERT_PATH, '--config', 'tiny', '--set', 'B=1,S=8');
    expect(r.code).toBe(0);
    const printed = join(dir, 'flat.ir');
    writeFileSync(printed, r.out);
    const again = await bertc('print', printed);
    expect(again.code).toBe(0);
    expect(again.out.split('\n').slice(1).join('\n')).toBe(r.out.split('\n').slice(1).join('\n'));
  });
});
