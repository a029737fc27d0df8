/**
 * Golden diagnostics. Each test/diagnostics/*.ir file holds cases separated by `// -----`; each case
 * opens with a comment saying what it checks and is compiled on its own, MLIR `-verify-diagnostics`
 * style:
 *
 *   // expected-error@+1 {{cannot broadcast}}        a diagnostic on the next line (@-1: the line
 *   y = x + b;                                        before, @unknown: one without a location, no @:
 *                                                     this line) whose message contains the text
 *
 * Exactly the annotated diagnostics must appear: an unannotated one fails the case. The full
 * rendered output of every case (message, source line, caret, notes) is also compared with
 * test/diagnostics/<file>.expected; `vitest -u` rewrites those goldens, which are reviewed like code.
 *
 * A case may start with directives that stand in for the command line:
 *
 *   // bertc: --config tiny --set B=4                build options
 *   // weights: dense.weight f32[4, 8]; dense.bias f32[4]
 *                                                     bind the parameters to a weights file holding
 *                                                     these tensors (named weights.safetensors)
 *   // inputs: x f32[2, 8]                           take config constants from, and bind, these
 *                                                     inputs (inputs.safetensors), as `bertc run` does
 *   // bertc: --accel tiny-l1.accel.json             also plan the model (-O2) for this accelerator
 *                                                     (a preset, or a file beside the case), and with
 *             --target wgsl                          generate WGSL for it
 *   // bertc: --output no-such-dir/out.safetensors   check the destination as `bertc run` does
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bertc } from './support/cli.js';
import { CATALOGUE, type DiagCode } from '../src/diag/catalogue.js';
import { CompileError, makeDiagnostic, type Diagnostic } from '../src/diag/diagnostics.js';
import { EXCERPT_WIDTH, MAX_RENDERED, renderDiagnostics } from '../src/diag/render.js';
import { bindInputs, bindWeights, build, loadFile, loadText, planProgram, planWgsl, runFile, Session, setsFromInputs } from '../src/driver.js';
import type { Accelerator } from '../src/accel/accelerator.js';
import { loadAccelerator } from '../src/accel/load.js';
import { PRESETS } from '../src/accel/presets.js';
import { checkFileDestination } from '../src/io/output.js';
import { LEVELS } from '../passes/registry.js';
import { isDType } from '../src/ir/dtype.js';
import { makeTensor } from '../src/interp/tensor.js';
import { encodeSafetensors, parseSafetensors, type SafetensorsFile } from '../src/io/safetensors.js';
import { BERT_PATH, REFERENCE_PATH, WEIGHTS_PATH } from './support/reference.js';

const DIR = join(import.meta.dirname, 'diagnostics');
/** Cases are compiled under their path from the repository root, which the goldens show. */
const shownPath = (file: string) => `test/diagnostics/${file}`;
const DOCS = join(import.meta.dirname, '../docs/diagnostics.md');

// ---- the cases and their directives ----

interface Expectation {
  readonly severity: 'error' | 'warning';
  /** Undefined for `@unknown`: a diagnostic without a location. */
  readonly line: number | undefined;
  readonly substring: string;
  /** Where the annotation itself is, for failure messages. */
  readonly at: number;
}

interface Case {
  readonly title: string;
  /** The case's text preceded by blank lines, so that line numbers are those of the whole file. */
  readonly text: string;
  readonly config?: string;
  readonly sets: Map<string, number>;
  readonly weights?: SafetensorsFile;
  readonly inputs?: SafetensorsFile;
  readonly expected: readonly Expectation[];
  readonly accel?: Accelerator;
  readonly target?: string;
  readonly output?: string;
}

const EXPECTED = /\/\/\s*expected-(error|warning)(?:@(unknown|[+-]\d+))?\s*\{\{(.*?)\}\}/;

function expectations(lines: readonly string[], firstLine: number): Expectation[] {
  const out: Expectation[] = [];
  lines.forEach((text, i) => {
    const m = EXPECTED.exec(text);
    if (!m) return;
    const at = firstLine + i;
    const line = m[2] === 'unknown' ? undefined : at + Number(m[2] ?? 0);
    out.push({ severity: m[1] as 'error' | 'warning', line, substring: m[3]!, at });
  });
  return out;
}

/** `name f32[2, 3]; other i32[4]` as a safetensors file of zeros with those tensors. */
function tensorFile(spec: string, name: string): SafetensorsFile {
  const tensors = spec.split(';').map((entry) => {
    const m = /^\s*(\S+)\s+(\w+)\[([\d,\s]*)\]\s*$/.exec(entry);
    if (!m || !isDType(m[2]!)) throw new Error(`bad tensor in directive: '${entry}'`);
    const shape = m[3]!.trim() ? m[3]!.split(',').map(Number) : [];
    return [m[1]!, makeTensor(m[2]!, shape)] as const;
  });
  return parseSafetensors(encodeSafetensors(new Map(tensors)), name);
}

function directive(lines: readonly string[], name: string): string | undefined {
  const prefix = `// ${name}:`;
  return lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim();
}

/** The case's opening comment, which may run over several lines, as one line. */
function titleOf(lines: readonly string[]): string | undefined {
  const isProse = (l: string) => l.startsWith('// ') && !/^\/\/ (expected-|bertc:|weights:|inputs:)/.test(l);
  const first = lines.findIndex(isProse);
  if (first < 0) return undefined;
  const end = lines.findIndex((l, i) => i > first && !isProse(l));
  return lines.slice(first, end < 0 ? undefined : end).map((l) => l.slice(3).trim()).join(' ');
}

function parseCase(body: string, firstLine: number, index: number): Case {
  const lines = body.split('\n');
  const args = directive(lines, 'bertc')?.split(/\s+/) ?? [];
  const sets = new Map<string, number>();
  let config: string | undefined;
  let accel: string | undefined;
  let target: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--config') config = args[++i];
    else if (args[i] === '--set') for (const kv of args[++i]!.split(',')) sets.set(kv.split('=')[0]!, Number(kv.split('=')[1]));
    else if (args[i] === '--accel') accel = args[++i];
    else if (args[i] === '--target') target = args[++i];
    else if (args[i] === '--output') output = args[++i];
    else if (args[i]) throw new Error(`unknown option in '// bertc:' directive: ${args[i]}`);
  }
  const weights = directive(lines, 'weights');
  const inputs = directive(lines, 'inputs');
  return {
    title: titleOf(lines) ?? `case ${index + 1}`,
    text: '\n'.repeat(firstLine - 1) + body,
    config,
    sets,
    accel: accel === undefined ? undefined : PRESETS.get(accel) ?? loadAccelerator(join(DIR, accel)),
    target,
    output,
    weights: weights === undefined ? undefined : tensorFile(weights, 'weights.safetensors'),
    inputs: inputs === undefined ? undefined : tensorFile(inputs, 'inputs.safetensors'),
    expected: expectations(lines, firstLine),
  };
}

function splitCases(text: string): Case[] {
  let firstLine = 1;
  // Only the separator's own text goes: its line stays, so that line numbers keep counting.
  return text.split(/^\/\/ -----[ \t]*$/m).map((body, i) => {
    const c = parseCase(body, firstLine, i);
    firstLine += body.split('\n').length - 1;
    return c;
  });
}

// ---- compiling a case ----

/** Runs the stages `bertc run` would, up to the interpreter; a CompileError ends them. */
function compileCase(file: string, c: Case): { diagnostics: readonly Diagnostic[]; rendered: string } {
  const s = new Session();
  try {
    const p = loadText(s, file, c.text);
    const sets = c.inputs ? setsFromInputs(s, p, c.inputs, c.sets) : c.sets;
    if (c.output) s.guard(() => checkFileDestination(c.output!));
    const { graph } = build(s, p, { config: c.config, sets });
    if (c.weights) bindWeights(s, graph, c.weights);
    if (c.inputs) bindInputs(s, graph, c.inputs);
    const plan = { config: c.config, sets, train: false, pipeline: LEVELS.O2!, source: file };
    if (c.accel && c.target === 'wgsl') planWgsl(s, p, { ...plan, accel: c.accel });
    else if (c.accel) planProgram(s, p, { ...plan, accel: c.accel });
  } catch (e) {
    // Anything but a CompileError is a crash of the compiler on a user mistake.
    if (!(e instanceof CompileError)) throw e;
  }
  return { diagnostics: s.diags.sorted(), rendered: s.render() };
}

/** The annotations that no diagnostic matched, and the diagnostics that no annotation asked for. */
function verify(expected: readonly Expectation[], diagnostics: readonly Diagnostic[]): string[] {
  const unmatched = [...diagnostics];
  const problems: string[] = [];
  for (const e of expected) {
    const i = unmatched.findIndex((d) => d.severity === e.severity && d.span?.line === e.line && d.message.includes(e.substring));
    if (i >= 0) unmatched.splice(i, 1);
    else problems.push(`line ${e.at}: expected ${e.severity} ${e.line === undefined ? 'without location' : `on line ${e.line}`} containing {{${e.substring}}} did not appear`);
  }
  for (const d of unmatched) problems.push(`unexpected ${d.severity}[${d.code}] ${d.span ? `on line ${d.span.line}` : 'without location'}: ${d.message}`);
  return problems;
}

const caseFiles = readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort();

for (const file of caseFiles) {
  const cases = splitCases(readFileSync(join(DIR, file), 'utf8'));
  describe(file, () => {
    for (const c of cases) {
      it(c.title, () => {
        const r = compileCase(shownPath(file), c);
        expect(verify(c.expected, r.diagnostics), r.rendered).toEqual([]);
        // User mistakes never show compiler internals; messages are one line, starting in lower case.
        expect(r.rendered).not.toMatch(/internal|undefined|\n\s+at .*:\d+:\d+/);
        for (const d of r.diagnostics) expect(d.message).toMatch(/^[^A-Z\n][^\n]*$/);
      });
    }
    it('renders as in the golden file', async () => {
      const all = cases.map((c) => `// ----- ${c.title}\n${compileCase(shownPath(file), c).rendered}`);
      await expect(all.join('\n')).toMatchFileSnapshot(`./diagnostics/${file.replace(/\.ir$/, '.expected')}`);
    });
  });
}

// ---- what the .ir cases cannot express ----

/** Runs the CLI, capturing what it writes. */
const tmp = mkdtempSync(join(tmpdir(), 'bertc-diagnostics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Loads a source file that does not exist. */
function missingSource(): { diagnostics: readonly Diagnostic[]; rendered: string } {
  const s = new Session();
  try {
    loadFile(s, 'test/diagnostics/no-such-file.ir');
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
  }
  return { diagnostics: s.diags.sorted(), rendered: s.render() };
}

describe('files that cannot be read (E0025)', () => {
  it('reports a missing source file without a location', async () => {
    const r = missingSource();
    expect(r.diagnostics.map((d) => [d.code, d.span])).toEqual([['E0025', undefined]]);
    await expect(r.rendered).toMatchFileSnapshot('./diagnostics/E0025-cannot-read-file.expected');
  });

  it('reports a weights file that is not safetensors, naming the file', async () => {
    const garbage = join(tmp, 'not-weights.safetensors');
    writeFileSync(garbage, 'this is not a safetensors file');
    const s = new Session();
    await expect(runFile(s, BERT_PATH, { weights: garbage, inputs: REFERENCE_PATH, output: join(tmp, 'out.safetensors') }, { config: 'tiny' })).rejects.toThrow(CompileError);
    const [d] = s.diags.sorted();
    expect(d?.code).toBe('E0025');
    expect(d?.message).toContain(garbage);
  });
});

describe('the real bert_tiny weights', () => {
  const bert = readFileSync(BERT_PATH, 'utf8');
  // Named as the user would see it, without the machine's path to ../shared, so the golden is stable.
  const weights = parseSafetensors(readFileSync(WEIGHTS_PATH), 'bert_tiny.safetensors');

  it('bind to models/bert.ir without a diagnostic', () => {
    const s = new Session();
    const { graph } = build(s, loadText(s, 'models/bert.ir', bert), { config: 'tiny' });
    bindWeights(s, graph, weights);
    expect(s.diags.sorted()).toEqual([]);
  });

  it('name the misspelt parameter, suggest the tensor meant, and warn that it is unused', async () => {
    const s = new Session();
    const misspelt = bert.replace('"pooler.dense.bias"', '"pooler.dense.bais"');
    const { graph } = build(s, loadText(s, 'models/bert.ir', misspelt), { config: 'tiny' });
    expect(() => bindWeights(s, graph, weights)).toThrow(CompileError);
    expect(s.diags.sorted().map((d) => d.code)).toEqual(['E0011', 'E0012']);
    await expect(s.render()).toMatchFileSnapshot('./diagnostics/bert-tiny-weights.expected');
  });

  it('do not fit the base config: a parameter of another shape is named with both shapes', () => {
    const s = new Session();
    const { graph } = build(s, loadText(s, 'models/bert.ir', bert), { config: 'base' });
    expect(() => bindWeights(s, graph, weights)).toThrow(CompileError);
    const words = s.diags.sorted().find((d) => d.message.includes("'embeddings.word_embeddings.weight'"));
    expect(words?.code).toBe('E0022');
    expect(words?.message).toBe("parameter 'embeddings.word_embeddings.weight' in bert_tiny.safetensors has f32[512, 128], the model declares f32[30522, 768]");
  });
});

describe('exit codes of the CLI', () => {
  const source = (name: string, text: string) => {
    const path = join(tmp, name);
    writeFileSync(path, text);
    return path;
  };
  const twoConfigs = 'config a { N = 2 }\nconfig b { N = 3 }\nmodel m(x: f32[N]) -> f32[N] { return x; }\n';

  it('is 2 for an unknown config (E0004) and an unknown --set name (E0024)', async () => {
    const file = source('two-configs.ir', twoConfigs);
    const unknownConfig = await bertc('check', file, '--config', 'c');
    expect(unknownConfig.code).toBe(2);
    expect(unknownConfig.err).toContain("error[E0004]: unknown config 'c' (this file defines: a, b)");
    const unknownSet = await bertc('print', file, '--config', 'a', '--set', 'M=4');
    expect(unknownSet.code).toBe(2);
    expect(unknownSet.err).toContain("error[E0024]: --set M: config 'a' has no constant 'M' (it has: N)");
    const noConfig = await bertc('print', file);
    expect(noConfig.code).toBe(2);
    expect(noConfig.err).toContain('defines several configs (a, b): choose one with --config');
  });

  it('is 1 for mistakes in the source or the files it names, with no internal error', async () => {
    const syntax = await bertc('check', source('syntax.ir', 'model m(x: f32[2]) -> f32[2] { return x }\n'));
    expect(syntax.code).toBe(1);
    expect(syntax.err).toContain("error[E0001]: expected ',' or ';', found '}'");
    const shapes = await bertc('check', source('shapes.ir', 'model m(x: f32[2], y: f32[3]) -> f32[2] { return x + y; }\n'));
    expect(shapes.code).toBe(1);
    expect(shapes.err).toContain('cannot broadcast f32[2] with f32[3]');
    const missing = await bertc('check', join(tmp, 'missing.ir'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error[E0025]');
    for (const r of [syntax, shapes, missing]) expect(r.err).not.toContain('internal compiler error');
  });

  it('is 0 with warnings only, which are still printed', async () => {
    const r = await bertc('check', source('warning.ir', 'layer f(x: f32[2]) -> f32[2] { param w: f32[2]; return x; }\nmodel m(x: f32[2]) -> f32[2] { return f(x); }\n'));
    expect(r.code).toBe(0);
    expect(r.err).toContain("warning[E0013]: parameter 'w' is declared but never used");
  });
});

/** Codes whose input is not IR text (an ONNX model), checked by their own tests rather than by a case here. */
const PRODUCED_ELSEWHERE: Readonly<Record<string, string>> = { E0030: 'test/onnx-ops.test.ts', E0031: 'test/onnx-ops.test.ts' };

describe('the catalogue', () => {
  const docs = readFileSync(DOCS, 'utf8');
  // What the cases produce, computed rather than read from the goldens, which a run writes last.
  let produced: Set<DiagCode> | undefined;
  const producedCodes = () => (produced ??= new Set([
    ...caseFiles.flatMap((file) => splitCases(readFileSync(join(DIR, file), 'utf8')).flatMap((c) => compileCase(shownPath(file), c).diagnostics)),
    ...missingSource().diagnostics,
  ].map((d) => d.code)));

  it.each(Object.entries(CATALOGUE))('%s is documented in docs/diagnostics.md and produced by a case in test/diagnostics', (code, entry) => {
    const row = docs.split('\n').find((l) => l.startsWith(`| ${code} |`));
    expect(row, `docs/diagnostics.md has no table row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${entry.severity} |`);
    expect(row).toContain(`| ${entry.title} |`);
    const elsewhere = PRODUCED_ELSEWHERE[code];
    if (elsewhere) expect(readFileSync(join(import.meta.dirname, '..', elsewhere), 'utf8'), `${elsewhere} checks no ${code}`).toContain(`${code}: `);
    else expect(producedCodes().has(code as DiagCode), `no case in test/diagnostics produces ${code}`).toBe(true);
  });

  it('has no row in docs/diagnostics.md for a code it does not define', () => {
    const documented = [...docs.matchAll(/^\| (E\d{4}) \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(CATALOGUE));
  });
});

describe('rendering text from the input', () => {
  const render = (source: string, line: number, col: number, endCol: number, message = 'bad') =>
    renderDiagnostics([makeDiagnostic('E0001', { detail: message }, { file: 'f.ir', line, col, endLine: line, endCol })], () => source);

  it('escapes control characters and bidi overrides in the line and the message, keeping the caret under the range', () => {
    const source = 'x = a\u0007 + b\u202e + c\u001b[2J;';
    expect(render(source, 1, 11, 12, "unexpected character '\u202e' near \u0007")).toBe(
      [
        "f.ir:1:11: error[E0001]: unexpected character '\\u{202e}' near \\x07",
        ' 1 | x = a\\x07 + b\\u{202e} + c\\x1b[2J;',
        `   | ${' '.repeat('x = a\\x07 + b'.length)}^^^^^^^^`,
        '1 error generated.',
        '',
      ].join('\n'),
    );
  });

  it('shows a tab as one space in the excerpt and as \\t in a message', () => {
    expect(render('\tx = y;', 1, 6, 7, 'a\tb')).toBe(['f.ir:1:6: error[E0001]: a\\tb', ' 1 |  x = y;', '   |      ^', '1 error generated.', ''].join('\n'));
  });

  it('cuts a long line around the caret, with ... on each side that was cut', () => {
    const source = `${'a'.repeat(5000)}BAD${'b'.repeat(5000)}`;
    const [, text, caret] = render(source, 1, 5001, 5004).split('\n');
    const shown = text!.slice(' 1 | '.length);
    expect(shown.startsWith('...a') && shown.endsWith('b...')).toBe(true);
    expect(shown.length).toBe(EXCERPT_WIDTH + 6);
    const at = caret!.indexOf('^');
    expect(text!.slice(at, at + 3)).toBe('BAD');
    expect(caret!.slice(at)).toBe('^^^');
  });

  it('cuts only the end of a long line when the range is near its start, and only the start near its end', () => {
    const source = `x${'.'.repeat(1000)}y`;
    const [, head, headCaret] = render(source, 1, 1, 2).split('\n');
    expect(head).toBe(` 1 | x${'.'.repeat(EXCERPT_WIDTH - 1)}...`);
    expect(headCaret).toBe('   | ^');
    const [, tail, tailCaret] = render(source, 1, 1002, 1003).split('\n');
    expect(tail).toBe(` 1 | ...${'.'.repeat(EXCERPT_WIDTH - 1)}y`);
    expect(tailCaret!.indexOf('^')).toBe(tail!.length - 1);
  });

  it(`renders the first ${MAX_RENDERED} diagnostics and counts the rest`, () => {
    const source = 'const a = 1;\n'.repeat(MAX_RENDERED + 5);
    const ds = Array.from({ length: MAX_RENDERED + 5 }, (_, i) =>
      makeDiagnostic('E0015', { name: 'a', where: '' }, { file: 'f.ir', line: i + 1, col: 7, endLine: i + 1, endCol: 8 }));
    const out = renderDiagnostics(ds, () => source);
    expect(out.match(/error\[E0015\]/g)).toHaveLength(MAX_RENDERED);
    expect(out.endsWith(`note: 5 more diagnostics not shown; fix the first ones and run again\n${MAX_RENDERED + 5} errors generated.\n`)).toBe(true);
  });

  it('renders twenty thousand diagnostics in one file quickly (each line is found once)', () => {
    const n = 20_000;
    const source = 'const a = 1;\n'.repeat(n);
    const ds = Array.from({ length: n }, (_, i) => makeDiagnostic('E0015', { name: 'a', where: '' }, { file: 'f.ir', line: i + 1, col: 7, endLine: i + 1, endCol: 8 }));
    const start = performance.now();
    renderDiagnostics(ds, () => source);
    expect(performance.now() - start).toBeLessThan(500);
  });
});
