/**
 * The front end must survive anything a user can type: every mangled version of models/bert.ir
 * either compiles or is rejected with diagnostics (a CompileError carrying at least one error),
 * never with another exception, and never slowly. The inputs are mutations of the real model, so
 * that most of them get past the parser and exercise the elaborator, where the interesting failures
 * are (poison values, constant folding, attribute conversion, "{l}" interpolation, dimensions).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompileError } from '../src/diag/diagnostics.js';
import { build, loadText, Session } from '../src/driver.js';

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
  it('compiles or fails with diagnostics, never with another exception, each case in under a second', () => {
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
    expect(slowest.ms, `slowest case: ${slowest.label}`).toBeLessThan(1000);
    // Most mutants should be rejected, or the mutations would be too mild to test the diagnostics;
    // some should compile, so that the successful path (and the IR verifier after it) runs too.
    expect(rejected).toBeGreaterThan(600);
    expect(accepted).toBeGreaterThan(60);
  });
});

/**
 * Inputs at the extremes that mutations of a real model do not reach: nesting deeper than the
 * stack, unrolling beyond any real model, sizes beyond 32-bit indexing. Each must be rejected with
 * the given code (or compile, where no code is given), in well under a second.
 */
const layerChain = (n: number) =>
  [...Array.from({ length: n }, (_, i) => `layer l${i}(x: f32[2]) -> f32[2] { return l${i + 1}(x); }`),
    `layer l${n}(x: f32[2]) -> f32[2] { return x; }`, 'model m(x: f32[2]) -> f32[2] { return l0(x); }'].join('\n');
const model = (body: string) => `model m(x: f32[2]) -> f32[2] {\n${body}\n}\n`;

const EXTREMES: [string, string, string | undefined][] = [
  ['parentheses nested 3000 deep', model(`return ${'('.repeat(3000)}x${')'.repeat(3000)};`), 'E0027'],
  ['5000 unary minus signs', model(`return ${'-'.repeat(5000)}x;`), 'E0027'],
  ['a sum of 20000 terms', model(`return x${' + x'.repeat(20000)};`), 'E0027'],
  ['a "{...}" hole nested 1000 deep', model(`tap "h{${'('.repeat(1000)}1${')'.repeat(1000)}}" = x;\nreturn x;`), 'E0027'],
  ['layer calls nested 400 deep', layerChain(400), 'E0027'],
  ['layer calls nested 50 deep', layerChain(50), undefined],
  ['loops unrolling a million statements', model('for i in 0 .. 1000 { for j in 0 .. 1000 { x = x + 1.0; } }\nreturn x;'), 'E0027'],
  ['a loop to 1e9', model('for i in 0 .. 1e9 { x = x + 1.0; }\nreturn x;'), 'E0027'],
  ['a dimension of 1e12', 'model m(x: f32[1e12]) -> f32[1e12] { return x; }', 'E0009'],
  ['a dimension of 1e400 (infinity)', 'model m(x: f32[1e400]) -> f32[2] { return x; }', 'E0009'],
  ['a tensor of 2^62 elements from an op', model('y = iota(shape=[2147483647, 2147483647]);\nreturn x;'), 'E0009'],
  ['a name of a megabyte', model(`tap "${'a'.repeat(1 << 20)}" = x;\nreturn x;`), undefined],
  ['an empty file', '', 'E0019'],
  ['a NUL byte and non-ASCII text', 'model m\u0000(x: f32[2]) -> f32[2] { return x; } // é\n', 'E0001'],
  ['an unterminated block comment', '/* model m(x: f32[2]) -> f32[2] { return x; }', 'E0001'],
];

describe('extreme inputs', () => {
  it.each(EXTREMES)('%s', (_, source, code) => {
    const start = performance.now();
    const err = compile(source, undefined);
    expect(performance.now() - start).toBeLessThan(1000);
    if (code === undefined) {
      expect(err?.rendered).toBeUndefined();
      return;
    }
    expect(err, 'compiled, but should not').toBeDefined();
    expectReadable(err!.rendered);
    expect(err!.diagnostics.map((d) => d.code)).toContain(code);
  });
});
