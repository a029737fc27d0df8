import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { diagnosticError } from '../../src/diag/diagnostics.js';
import { INPUT_KINDS, InputFileError, readInputText, type InputKind } from '../../src/io/readInput.js';

/** A bad `bertc explain` argument: a usage error for the CLI. */
export class ExplainError extends Error {}

/**
 * BERT-base's model.c is 250 KB and its map 10 KB; the limit only has to stop a wrong path such
 * as /dev/zero or a weights file from being read whole.
 */
const GENERATED: InputKind = { what: 'generated C files and their source maps', maxBytes: 64 * 1024 * 1024 };

/**
 * Answers "which IR op does this generated line implement": the source map gives the IR position,
 * the IR file gives its text, and the enclosing kernel's header comment gives the kernel. Files
 * that cannot be read, and a map that is not one, are bad input (E0025 or E0027, exit 1).
 */
export async function explainLine(location: string): Promise<string> {
  const m = /^(.*):(\d+)$/.exec(location);
  if (!m) throw new ExplainError(`expected FILE.c:LINE, got '${location}'`);
  const [, file, lineText] = m as unknown as [string, string, string];
  const line = Number(lineText);
  const code = readOrFail(file, GENERATED).split('\n');
  if (line < 1 || line > code.length) throw new ExplainError(`${file} has ${code.length} lines, not ${lineText}`);
  const mapFile = `${file}.map`;
  const pos = await originalPosition(mapFile, readOrFail(mapFile, GENERATED), line);
  const lines = [`${file}:${line}: ${code[line - 1]!.trim()}`];
  const where = kernelOf(code, line);
  if (where) lines.push(`  ${where}`);
  if (pos.source && pos.line) {
    lines.push(`  implements ${pos.source}:${pos.line}:${(pos.column ?? 0) + 1}: ${irLine(pos.source, pos.line)}`);
  } else {
    lines.push('  (no IR op: this line is part of the runtime glue, not of one op)');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The kernel a line belongs to: inside a kernel function, its header comment (the function of the
 * first kernel of its class, see docs/backend-c.md); at a call in bertc_init or bertc_run, the
 * kernel called and the function it shares.
 */
function kernelOf(code: readonly string[], line: number): string | undefined {
  const before = code.slice(0, line).reverse();
  const fn = before.find((l) => /^[a-z].*\) \{$/.test(l));
  if (fn?.startsWith('static void k')) {
    const header = before.find((l) => /^\/\* k\d+_/.test(l));
    return header && `in kernel ${header.replace(/^\/\* /, '')}`;
  }
  // A job of the thread pool names the kernel's function by its trampoline.
  const text = code[line - 1]!.replace(/bertc_parallel\(&m->pool, \d+, (k\d+_\w+?)_(?:tasks|segments), /, '$1(');
  const call = /BERTC_TIMED\((\d+), (k\d+_\w+)\(|^\s+(k\d+_\w+)\((?:m, &status|&\(bertc_args\))/.exec(text);
  if (!call) return undefined;
  const names = /bertc_kernel_names\[\d+\] = \{ (.*) \};/.exec(code.find((l) => l.includes('bertc_kernel_names[')) ?? '');
  const run = call[1] !== undefined && names ? (JSON.parse(`[${names[1]}]`) as string[])[Number(call[1])] : undefined;
  const fnName = call[2] ?? call[3]!;
  return run && run !== fnName ? `calls kernel ${run}, which shares the function of ${fnName}` : `calls kernel ${fnName}`;
}

function readOrFail(file: string, kind: InputKind): string {
  try {
    return readInputText(file, kind);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw diagnosticError(e.code, { detail: e.message });
  }
}

async function originalPosition(mapFile: string, text: string, line: number): Promise<{ source: string | null; line: number | null; column: number | null }> {
  const notAMap = (why: string) => diagnosticError('E0025', { detail: `${mapFile} is not a source map: ${why.replace(/\s+/g, ' ')}` });
  let map: RawSourceMap;
  try {
    map = JSON.parse(text) as RawSourceMap;
  } catch (e) {
    throw notAMap((e as Error).message);
  }
  try {
    return await SourceMapConsumer.with(map, null, (c) => c.originalPositionFor({ line, column: 0 }));
  } catch (e) {
    throw notAMap((e as Error).message);
  }
}

/** The IR line's text; the answer stands without it, so a source that cannot be read is said in its place. */
function irLine(source: string, line: number): string {
  try {
    return readInputText(source, INPUT_KINDS.irSource).split('\n')[line - 1]?.trim() ?? '';
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    return `(${e.message})`;
  }
}
