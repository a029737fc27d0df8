/**
 * The front end must survive anything a user can type: every mangled version of models/bert.ir
 * either compiles or is rejected with diagnostics (a CompileError carrying at least one error),
 * never with another exception, and never slowly. The inputs are mutations of the real model, so
 * that most of them get past the parser and exercise the elaborator, where the interesting failures
 * are (poison values, constant folding, attribute conversion, "{l}" interpolation, dimensions).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { CompileError } from '../src/diag/diagnostics.js';
import { build, loadText, Session } from '../src/driver.js';
import { SOURCE_LIMITS } from '../src/frontend/parse.js';
import { buildUnitMs } from './support/pace.js';

const MODEL = readFileSync(new URL('../models/bert.ir', import.meta.url), 'utf8');

/** A token of the source with its offset; comments and whitespace are not tokens. */
interface Tok {
  readonly text: string;
  readonly at: number;
  readonly kind: 'id' | 'num' | 'str' | 'punct';
}

const TOKEN = /\/\/[^\n]*|\s+|([A-Za-z_]\w*)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\\n]|\\.)*")|(\.\.|[<>=!]=|&&|\|\||\S)/g;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const kind = m[1] ? 'id' : m[2] ? 'num' : m[3] ? 'str' : m[4] ? 'punct' : undefined;
    if (kind) out.push({ text: m[0], at: m.index, kind });
  }
  return out;
}

const LAYERS = [...MODEL.matchAll(/\b(?:layer|model) (\w+)/g)].map((m) => m[1]!);

/** Numbers that stress dimension and attribute handling: zero, negative, huge, fractional, overflowing. */
const NASTY_NUMBERS = ['0', '-1', '-7', '0.5', '2.5', '1e-9', '3', '64', '1e12', '2147483648', '99999999999', '1e400', '1e308', 'inf', 'nan'];
/** Replacements for interpolated and scope strings. */
const NASTY_STRINGS = ['"{l"', '"l}"', '"{}"', '"{x}"', '"{l / 0}"', '"{l + 0.5}"', '"{1e400}"', '"{q}"', '"{foo(l)}"', '"{l}{l}"', '"{{l}}"', '""', '"."'];
const PALETTE = ['{', '}', '(', ')', '[', ']', ';', ',', '=', '+', '-', '*', '/', '%', '<', '>', '!', '.', '"', '@', '$', '\n', ' ', 'x', '0', '9', 'e'];

/** Picks element `i` of a non-empty list, wrapping around: arbitraries draw indices before knowing the length. */
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

const splice = (text: string, at: number, remove: number, insert: string) => text.slice(0, at) + insert + text.slice(at + remove);

function replaceToken(text: string, i: number, by: (t: Tok) => string, only?: Tok['kind']): string {
  const toks = tokenize(text).filter((t) => !only || t.kind === only);
  if (!toks.length) return text;
  const t = pick(toks, i);
  return splice(text, t.at, t.text.length, by(t));
}

function mapLines(text: string, f: (lines: string[]) => void): string {
  const lines = text.split('\n');
  f(lines);
  return lines.join('\n');
}

/** One edit of the source; `i` and `j` are indices that the edit reduces modulo what it picks from. */
type Mutation = (text: string) => string;

const nat = fc.nat({ max: 1 << 20 });
const MUTATIONS: fc.Arbitrary<{ label: string; apply: Mutation }>[] = [
  nat.map((i) => ({ label: `truncate at ${i}`, apply: (t) => t.slice(0, i % (t.length + 1)) })),
  fc.tuple(nat, fc.integer({ min: 1, max: 24 })).map(([i, n]) => ({
    label: `delete ${n} chars at ${i}`, apply: (t) => splice(t, i % (t.length + 1), n, ''),
  })),
  fc.tuple(nat, fc.array(fc.constantFrom(...PALETTE), { minLength: 1, maxLength: 3 })).map(([i, cs]) => ({
    label: `insert ${JSON.stringify(cs.join(''))} at ${i}`, apply: (t) => splice(t, i % (t.length + 1), 0, cs.join('')),
  })),
  nat.map((i) => ({ label: `delete token ${i}`, apply: (t) => replaceToken(t, i, () => '') })),
  nat.map((i) => ({ label: `duplicate token ${i}`, apply: (t) => replaceToken(t, i, (tok) => `${tok.text} ${tok.text}`) })),
  fc.tuple(nat, nat).map(([i, j]) => ({
    label: `replace token ${i} by token ${j}`, apply: (t) => replaceToken(t, i, () => pick(tokenize(t), j).text),
  })),
  fc.tuple(nat, nat).map(([i, j]) => ({
    label: `replace name ${i} by name ${j}`, apply: (t) => replaceToken(t, i, () => pick(tokenize(t).filter((x) => x.kind === 'id'), j).text, 'id'),
  })),
  fc.tuple(nat, fc.constantFrom(...NASTY_NUMBERS)).map(([i, n]) => ({
    label: `number ${i} := ${n}`, apply: (t) => replaceToken(t, i, () => n, 'num'),
  })),
  fc.tuple(nat, fc.constantFrom(...NASTY_STRINGS)).map(([i, s]) => ({
    label: `string ${i} := ${s}`, apply: (t) => replaceToken(t, i, () => s, 'str'),
  })),
  // Renaming a callee or a declaration to another layer's name makes recursion and redefinitions.
  fc.tuple(nat, fc.constantFrom(...LAYERS)).map(([i, name]) => ({
    label: `layer name ${i} := ${name}`,
    apply: (t) => replaceToken(t, i, (tok) => (LAYERS.includes(tok.text) ? name : tok.text), 'id'),
  })),
  nat.map((i) => ({ label: `duplicate line ${i}`, apply: (t) => mapLines(t, (ls) => void ls.splice(i % ls.length, 0, pick(ls, i))) })),
  nat.map((i) => ({ label: `delete line ${i}`, apply: (t) => mapLines(t, (ls) => void ls.splice(i % ls.length, 1)) })),
  fc.tuple(nat, nat).map(([i, j]) => ({
    label: `swap lines ${i} and ${j}`,
    apply: (t) => mapLines(t, (ls) => {
      const [a, b] = [i % ls.length, j % ls.length];
      [ls[a], ls[b]] = [ls[b]!, ls[a]!];
    }),
  })),
];

const mutant = fc
  .record({
    edits: fc.array(fc.oneof(...MUTATIONS), { minLength: 1, maxLength: 3 }),
    // Mostly the small config; sometimes base, whose numbers differ (H = 768, L = 12).
    config: fc.constantFrom('tiny', 'tiny', 'tiny', 'base'),
  })
  .map(({ edits, config }) => {
    const label = `${edits.map((e) => e.label).join('; ')} (config ${config})`;
    // A counterexample is reported by its edits, which recreate it, not by the whole source.
    return { label, config, source: edits.reduce((text, e) => e.apply(text), MODEL), [fc.toStringMethod]: () => label };
  });

/** Compiles one source; returns nothing on success and the CompileError otherwise. Anything else propagates. */
function compile(source: string, config: string | undefined): CompileError | undefined {
  const s = new Session();
  try {
    build(s, loadText(s, 'mutant.ir', source), { config });
    return undefined;
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
}

/** Rendered diagnostics that say what is wrong, with no trace of the compiler's own workings. */
function expectReadable(rendered: string): void {
  expect(rendered).toMatch(/error\[E\d{4}\]/);
  expect(rendered).not.toMatch(/undefined|\[object |internal|\n\s+at .*:\d+:\d+/);
}

describe('mutated models/bert.ir', () => {
  it('compiles or fails with diagnostics, never with another exception, none slower than ten builds of the model itself', () => {
    // A mutation that makes the front end do far more work than the model it came from is the
    // failure looked for, not a slow host: the bound is in builds of the unmutated model.
    const bound = 10 * buildUnitMs();
    let slowest = { ms: 0, label: '' };
    let rejected = 0;
    let accepted = 0;
    fc.assert(
      fc.property(mutant, ({ label, source, config }) => {
        const start = performance.now();
        const err = compile(source, config);
        const ms = performance.now() - start;
        if (ms > slowest.ms) slowest = { ms, label };
        if (!err) accepted++;
        else {
          rejected++;
          expect(err.diagnostics.some((d) => d.severity === 'error'), err.rendered).toBe(true);
          expectReadable(err.rendered);
        }
      }),
      { seed: 20240611, numRuns: 1200 },
    );
    expect(slowest.ms, `slowest case: ${slowest.label}; the model itself builds in ${buildUnitMs().toFixed(0)} ms`).toBeLessThan(bound);
    // Most mutants should be rejected, or the mutations would be too mild to test the diagnostics;
    // some should compile, so that the successful path (and the IR verifier after it) runs too.
    expect(rejected).toBeGreaterThan(600);
    expect(accepted).toBeGreaterThan(60);
  });
});

/**
 * Inputs at the extremes that mutations of a real model do not reach: nesting deeper than the
 * stack, unrolling beyond any real model, sizes beyond 32-bit indexing. Each must be rejected with
 * the given code (or compile, where no code is given), in under ten builds of the real model.
 */
const layerChain = (n: number) =>
  [...Array.from({ length: n }, (_, i) => `layer l${i}(x: f32[2]) -> f32[2] { return l${i + 1}(x); }`),
    `layer l${n}(x: f32[2]) -> f32[2] { return x; }`, 'model m(x: f32[2]) -> f32[2] { return l0(x); }'].join('\n');
const model = (body: string) => `model m(x: f32[2]) -> f32[2] {\n${body}\n}\n`;

const EXTREMES: [string, string, string | undefined][] = [
  ['parentheses nested 3000 deep', model(`return ${'('.repeat(3000)}x${')'.repeat(3000)};`), 'E0027'],
  ['5000 unary minus signs', model(`return ${'-'.repeat(5000)}x;`), 'E0027'],
  ['a sum of 20000 terms', model(`return x${' + x\n'.repeat(20000)};`), 'E0027'],
  ['a "{...}" hole nested 1000 deep', model(`tap "h{${'('.repeat(1000)}1${')'.repeat(1000)}}" = x;\nreturn x;`), 'E0027'],
  ['layer calls nested 400 deep', layerChain(400), 'E0027'],
  ['layer calls nested 50 deep', layerChain(50), undefined],
  ['loops unrolling a million statements', model('for i in 0 .. 1000 { for j in 0 .. 1000 { x = x + 1.0; } }\nreturn x;'), 'E0027'],
  ['a loop to 1e9', model('for i in 0 .. 1e9 { x = x + 1.0; }\nreturn x;'), 'E0027'],
  ['a dimension of 1e12', 'model m(x: f32[1e12]) -> f32[1e12] { return x; }', 'E0009'],
  ['a dimension of 1e400 (infinity)', 'model m(x: f32[1e400]) -> f32[2] { return x; }', 'E0009'],
  ['a tensor of 2^62 elements from an op', model('y = iota(shape=[2147483647, 2147483647]);\nreturn x;'), 'E0009'],
  ['a name of 9000 characters', model(`tap "${'a'.repeat(9000)}" = x;\nreturn x;`), undefined],
  ['a line of a megabyte', model(`tap "${'a'.repeat(1 << 20)}" = x;\nreturn x;`), 'E0027'],
  ['more than a megabyte of source', model('// a comment of eighty characters, repeated to make the file too large to read\n'.repeat(14000)), 'E0027'],
  ['more tokens than the limit', model('x = x + 1.0;\n'.repeat(SOURCE_LIMITS.tokens / 8)), 'E0027'],
  ['more "{...}" holes than the limit', model(`tap "${'{1}'.repeat(SOURCE_LIMITS.holes + 1)}" = x;\nreturn x;`), 'E0027'],
  ['eight thousand redefinitions', `${'const a = 1;\n'.repeat(8000)}model m(x: f32[2]) -> f32[2] { return x; }\n`, 'E0015'],
  ['an empty file', '', 'E0019'],
  ['a NUL byte and non-ASCII text', 'model m\u0000(x: f32[2]) -> f32[2] { return x; } // é\n', 'E0001'],
  ['an unterminated block comment', '/* model m(x: f32[2]) -> f32[2] { return x; }', 'E0001'],
];

describe('extreme inputs', () => {
  it.each(EXTREMES)('%s', (_, source, code) => {
    const bound = 10 * buildUnitMs();
    const start = performance.now();
    const err = compile(source, undefined);
    expect(performance.now() - start, `the model itself builds in ${buildUnitMs().toFixed(0)} ms`).toBeLessThan(bound);
    if (code === undefined) {
      expect(err?.rendered).toBeUndefined();
      return;
    }
    expect(err, 'compiled, but should not').toBeDefined();
    expectReadable(err!.rendered);
    expect(err!.diagnostics.map((d) => d.code)).toContain(code);
  });
});

/**
 * Files that are not IR or not safetensors at all, through the CLI as a user runs it: each ends at
 * once with exit 1 and one diagnostic that names the file and what was found, and no stack trace.
 */
describe('files bertc must not read whole', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bertc-robustness-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const MODEL_PATH = fileURLToPath(new URL('../models/bert.ir', import.meta.url));
  const INPUTS = fileURLToPath(new URL('../../shared/reference/bert_tiny_reference.safetensors', import.meta.url));

  async function bertc(...argv: string[]): Promise<{ code: number; err: string; ms: number }> {
    let err = '';
    const start = performance.now();
    const code = await main(argv, { out: () => {}, err: (t) => void (err += t) });
    return { code, err, ms: performance.now() - start };
  }

  /** Refused without reading the file whole: well within ten builds of the model itself (test/support/pace.ts). */
  const expectFast = (ms: number) => expect(ms, `the model itself builds in ${buildUnitMs().toFixed(0)} ms`).toBeLessThan(10 * buildUnitMs());

  /** Exit 1, the one diagnostic given, and the count line: nothing else, and fast. */
  function expectOneLine(r: { code: number; err: string; ms: number }, diagnostic: string): void {
    expect(r.err).toBe(`${diagnostic}\n1 error generated.\n`);
    expect(r.code).toBe(1);
    expectFast(r.ms);
  }

  it('refuses /dev/zero as an IR source', async () => {
    expectOneLine(await bertc('check', '/dev/zero'), 'error[E0025]: cannot read /dev/zero: it is a character device, not a regular file');
  });

  it('refuses /dev/zero as weights', async () => {
    const r = await bertc('run', MODEL_PATH, '--config', 'tiny', '--weights', '/dev/zero', '--inputs', INPUTS, '--output', join(tmp, 'out.safetensors'));
    expectOneLine(r, 'error[E0025]: cannot read /dev/zero: it is a character device, not a regular file');
  });

  it('refuses a FIFO without waiting for a writer, and a directory', async () => {
    const fifo = join(tmp, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(await bertc('check', fifo), `error[E0025]: cannot read ${fifo}: it is a FIFO, not a regular file`);
    expectOneLine(await bertc('check', tmp), `error[E0025]: cannot read ${tmp}: it is a directory, not a regular file`);
  });

  it('refuses a 10 MB IR file by its size, before reading it', async () => {
    const big = join(tmp, 'big.ir');
    writeFileSync(big, `model m(x: f32[2]) -> f32[2] {\n${'  x = x + 1.0;\n'.repeat(700_000)}  return x;\n}\n`);
    const size = statSync(big).size;
    expectOneLine(await bertc('check', big), `error[E0027]: ${big} is ${size.toLocaleString('en-US')} bytes (10.0 MiB); bertc reads IR sources of at most 1 MiB`);
  });

  it('rejects a file just under the size limit that is one repeated statement, in under ten builds of the model', async () => {
    const file = join(tmp, 'repeated.ir');
    writeFileSync(file, `model m(x: f32[2]) -> f32[2] {\n${'  x = x + 1.0;\n'.repeat(69_000)}  return x;\n}\n`);
    const r = await bertc('check', file);
    expect(r.err).toMatch(/^\S+:\d+:\d+: error\[E0027\]: the source has more than 100,000 tokens/);
    expect(r.code).toBe(1);
    expectFast(r.ms);
  });
});
