import { readFileSync } from 'node:fs';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';

/** A bad `bertc explain` argument or missing files: a usage error for the CLI. */
export class ExplainError extends Error {}

/**
 * Answers "which IR op does this generated line implement": the source map gives the IR position,
 * the IR file gives its text, and the enclosing kernel's header comment gives the kernel.
 */
export async function explainLine(location: string): Promise<string> {
  const m = /^(.*):(\d+)$/.exec(location);
  if (!m) throw new ExplainError(`expected FILE.c:LINE, got '${location}'`);
  const [, file, lineText] = m as unknown as [string, string, string];
  const line = Number(lineText);
  let code: string[];
  let map: RawSourceMap;
  try {
    code = readFileSync(file, 'utf8').split('\n');
    map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as RawSourceMap;
  } catch (e) {
    throw new ExplainError(`cannot read ${file} and ${file}.map: ${(e as Error).message}`);
  }
  if (line < 1 || line > code.length) throw new ExplainError(`${file} has ${code.length} lines, not ${line}`);
  const pos = await SourceMapConsumer.with(map, null, (c) => c.originalPositionFor({ line, column: 0 }));
  const kernelHeader = [...code.slice(0, line)].reverse().find((l) => /^\/\* k\d+_/.test(l));
  const lines = [`${file}:${line}: ${code[line - 1]!.trim()}`];
  if (kernelHeader) lines.push(`  in kernel ${kernelHeader.replace(/^\/\* /, '')}`);
  if (pos.source && pos.line) {
    let irText = '';
    try {
      irText = readFileSync(pos.source, 'utf8').split('\n')[pos.line - 1]?.trim() ?? '';
    } catch {
      irText = '(source not found)';
    }
    lines.push(`  implements ${pos.source}:${pos.line}:${(pos.column ?? 0) + 1}: ${irText}`);
  } else {
    lines.push('  (no IR op: this line is part of the runtime glue, not of one op)');
  }
  return `${lines.join('\n')}\n`;
}
