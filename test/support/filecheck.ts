/**
 * A small FileCheck: checks text output against `// CHECK...` lines, LLVM style.
 *
 * - `CHECK: pat`       pat occurs at or after the current line;
 * - `CHECK-NEXT: pat`  pat occurs on the line right after the previous match;
 * - `CHECK-SAME: pat`  pat occurs later on the line of the previous match;
 * - `CHECK-NOT: pat`   pat does not occur between the previous match and the next positive match;
 * - `CHECK-LABEL: pat` pat occurs once; it cuts the output into blocks checked independently.
 *
 * Patterns match literally, except `{{regex}}` parts. Whitespace runs match any whitespace run.
 */

export type Directive = 'CHECK' | 'CHECK-NEXT' | 'CHECK-SAME' | 'CHECK-NOT' | 'CHECK-LABEL';

export interface Check {
  readonly kind: Directive;
  readonly pattern: string;
  /** Line of the check in its source file, for messages. */
  readonly line: number;
}

const CHECK_RE = /\/\/\s*(CHECK(?:-NEXT|-SAME|-NOT|-LABEL)?):\s?(.*)$/;

export function parseChecks(source: string, firstLine = 1): Check[] {
  const out: Check[] = [];
  source.split('\n').forEach((text, i) => {
    const m = CHECK_RE.exec(text);
    if (m) out.push({ kind: m[1] as Directive, pattern: m[2]!.trim(), line: firstLine + i });
  });
  return out;
}

function toRegex(pattern: string): RegExp {
  let re = '';
  const parts = pattern.split(/(\{\{.*?\}\})/);
  for (const p of parts) {
    if (p.startsWith('{{') && p.endsWith('}}')) re += `(?:${p.slice(2, -2)})`;
    else re += p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  }
  return new RegExp(re);
}

interface Pos {
  line: number;
  col: number;
}

function find(lines: readonly string[], re: RegExp, from: Pos, to: number): Pos | undefined {
  for (let l = from.line; l < to; l++) {
    const text = l === from.line ? lines[l]!.slice(from.col) : lines[l]!;
    const m = re.exec(text);
    if (m) return { line: l, col: (l === from.line ? from.col : 0) + m.index + m[0].length };
  }
  return undefined;
}

/** Returns the failures (empty when every check holds). */
export function fileCheck(output: string, checks: readonly Check[]): string[] {
  const lines = output.split('\n');
  const failures: string[] = [];
  const labels = checks.filter((c) => c.kind === 'CHECK-LABEL');
  const labelLines: number[] = [];
  let searchFrom = 0;
  for (const l of labels) {
    const at = find(lines, toRegex(l.pattern), { line: searchFrom, col: 0 }, lines.length);
    if (!at) {
      failures.push(`line ${l.line}: CHECK-LABEL '${l.pattern}' not found`);
      return failures;
    }
    labelLines.push(at.line);
    searchFrom = at.line + 1;
  }
  // Checks before the first label run over the whole output; each label's checks over its block.
  let block = -1;
  let pos: Pos = { line: 0, col: 0 };
  let end = labelLines[0] ?? lines.length;
  let nots: Check[] = [];
  const flushNots = (upTo: Pos) => {
    for (const n of nots) {
      const hit = find(lines, toRegex(n.pattern), pos, upTo.line + 1);
      if (hit && (hit.line < upTo.line || hit.col <= upTo.col)) failures.push(`line ${n.line}: CHECK-NOT '${n.pattern}' found on output line ${hit.line + 1}: ${lines[hit.line]}`);
    }
    nots = [];
  };
  for (const c of checks) {
    if (c.kind === 'CHECK-LABEL') {
      flushNots({ line: end - 1, col: Infinity });
      block++;
      pos = { line: labelLines[block]!, col: lines[labelLines[block]!]!.length };
      end = labelLines[block + 1] ?? lines.length;
      continue;
    }
    if (c.kind === 'CHECK-NOT') {
      nots.push(c);
      continue;
    }
    const re = toRegex(c.pattern);
    let at: Pos | undefined;
    if (c.kind === 'CHECK-NEXT') at = find(lines, re, { line: pos.line + 1, col: 0 }, Math.min(end, pos.line + 2));
    else if (c.kind === 'CHECK-SAME') at = find(lines, re, pos, pos.line + 1);
    else at = find(lines, re, pos, end);
    if (!at) {
      failures.push(`line ${c.line}: ${c.kind} '${c.pattern}' not found after output line ${pos.line + 1}`);
      return failures;
    }
    flushNots(at);
    pos = at;
  }
  flushNots({ line: end - 1, col: Infinity });
  return failures;
}
