/**
 * A small FileCheck: checks text output against `// CHECK...` lines, LLVM style.
 *
 * - `CHECK: pat`       pat occurs at or after the current line;
 * - `CHECK-NEXT: pat`  pat occurs on the line right after the previous match;
 * - `CHECK-SAME: pat`  pat occurs later on the line of the previous match;
 * - `CHECK-NOT: pat`   pat does not occur between the end of the previous match and the start of the
 *                      next positive match (or the end of the block);
 * - `CHECK-LABEL: pat` pat occurs once; it cuts the output into blocks checked independently.
 *
 * Patterns match literally, except `{{regex}}` parts and captures. Whitespace runs match any
 * whitespace run.
 *
 * Captures, as in LLVM: `[[NAME:regex]]` matches regex and binds NAME to the whole text it matched
 * (groups inside regex do not change what is bound); `[[NAME]]` matches exactly the text bound
 * last, escaped, so later checks can say "the value defined there is read here" without pinning
 * the printer's names. NAME is `[A-Za-z_][A-Za-z0-9_]*`. A use may follow its definition in the
 * same pattern (`[[X:a+]]-[[X]]`). A later definition of NAME rebinds it.
 *
 * - Every directive may use variables. CHECK-NOT may not define one, since a pattern that must not
 *   match binds nothing; a CHECK-NOT sees the values bound before it in the check file.
 * - Variables are scoped to CHECK-LABEL blocks: each label clears every variable, as LLVM FileCheck
 *   does with `--enable-var-scope`, so that a block cannot pass by reading a name bound in another
 *   case; a label can use only what it defines itself.
 * - Mistakes in the check file (a use before any definition in its scope, a definition in CHECK-NOT,
 *   a malformed `[[...]]`, an invalid regex) are reported with their line before anything is
 *   matched. A literal `[[` is written `{{\[\[}}`; in a run of three or more `[`, only the last two
 *   open a capture, so `f32[[[N]], 8]` uses N as a type's first dimension.
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

type Piece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'regex'; readonly regex: string }
  | { readonly kind: 'def'; readonly name: string; readonly regex: string }
  | { readonly kind: 'use'; readonly name: string };

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the `]]` closing a capture's regex starts; brackets of a character class do not close it. */
function captureEnd(pattern: string, from: number): number {
  let inClass = false;
  for (let i = from; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === ']' && pattern[i + 1] === ']') return i;
  }
  return -1;
}

/** Splits a pattern into literal text, `{{regex}}`, and capture definitions and uses. */
function parsePattern(pattern: string): Piece[] | string {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < pattern.length) {
    const regexAt = pattern.indexOf('{{', i);
    const varAt = pattern.indexOf('[[', i);
    const next = Math.min(regexAt < 0 ? Infinity : regexAt, varAt < 0 ? Infinity : varAt);
    if (next === Infinity) {
      pieces.push({ kind: 'text', text: pattern.slice(i) });
      break;
    }
    if (next > i) pieces.push({ kind: 'text', text: pattern.slice(i, next) });
    if (next === regexAt) {
      const close = pattern.indexOf('}}', next + 2);
      if (close < 0) return `'{{' at column ${next + 1} is not closed by '}}'`;
      pieces.push({ kind: 'regex', regex: pattern.slice(next + 2, close) });
      i = close + 2;
      continue;
    }
    if (pattern[next + 2] === '[') {
      pieces.push({ kind: 'text', text: '[' });
      i = next + 1;
      continue;
    }
    const colon = pattern.indexOf(':', next + 2);
    const close = pattern.indexOf(']]', next + 2);
    if (colon >= 0 && (close < 0 || colon < close)) {
      const name = pattern.slice(next + 2, colon);
      const end = captureEnd(pattern, colon + 1);
      if (!NAME_RE.test(name)) return `'[[${name}:' does not start a capture: '${name}' is not a variable name`;
      if (end < 0) return `the capture of '${name}' is not closed by ']]'`;
      const regex = pattern.slice(colon + 1, end);
      if (regex === '') return `the capture of '${name}' has an empty regex`;
      pieces.push({ kind: 'def', name, regex });
      i = end + 2;
      continue;
    }
    if (close < 0) return `'[[' at column ${next + 1} is not closed by ']]' (a literal '[[' is written {{\\[\\[}})`;
    const name = pattern.slice(next + 2, close);
    if (!NAME_RE.test(name)) return `'[[${name}]]' is not a variable use: '${name}' is not a variable name`;
    pieces.push({ kind: 'use', name });
    i = close + 2;
  }
  return pieces;
}

const escapeText = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Group names for definitions: ours, so they cannot clash with groups inside the user's regex. */
const groupName = (index: number) => `fc_capture_${index}`;

interface Compiled {
  readonly re: RegExp;
  /** Variable bound by each of the pattern's definition groups, in group-name order. */
  readonly defs: readonly string[];
}

/** Builds the regex of a pattern, with uses replaced by the values bound before it. */
function compile(pieces: readonly Piece[], vars: ReadonlyMap<string, string>): Compiled {
  let re = '';
  const defs: string[] = [];
  const local = new Map<string, number>();
  for (const p of pieces) {
    if (p.kind === 'text') re += escapeText(p.text).replace(/\s+/g, '\\s+');
    else if (p.kind === 'regex') re += `(?:${p.regex})`;
    else if (p.kind === 'def') {
      local.set(p.name, defs.length);
      re += `(?<${groupName(defs.length)}>${p.regex})`;
      defs.push(p.name);
    } else {
      const group = local.get(p.name);
      re += group !== undefined ? `\\k<${groupName(group)}>` : escapeText(vars.get(p.name)!);
    }
  }
  return { re: new RegExp(re), defs };
}

interface ParsedCheck extends Check {
  readonly pieces: readonly Piece[];
}

/** Reports the check file's own mistakes, each with its line; empty when the file is well formed. */
function validate(checks: readonly Check[]): { parsed: ParsedCheck[]; errors: string[] } {
  const parsed: ParsedCheck[] = [];
  const errors: string[] = [];
  let defined = new Set<string>();
  let earlierBlocks = new Set<string>();
  for (const c of checks) {
    const pieces = parsePattern(c.pattern);
    if (typeof pieces === 'string') {
      errors.push(`line ${c.line}: ${c.kind} '${c.pattern}': ${pieces}`);
      continue;
    }
    if (c.kind === 'CHECK-LABEL') {
      earlierBlocks = new Set([...earlierBlocks, ...defined]);
      defined = new Set();
    }
    for (const p of pieces) {
      if (p.kind === 'def' && c.kind === 'CHECK-NOT') errors.push(`line ${c.line}: CHECK-NOT '${c.pattern}' defines '${p.name}'; a CHECK-NOT can only use variables`);
      else if (p.kind === 'def') defined.add(p.name);
      else if (p.kind === 'use' && !defined.has(p.name)) {
        const why = earlierBlocks.has(p.name) ? ' in this CHECK-LABEL block (variables do not survive a label)' : '';
        errors.push(`line ${c.line}: ${c.kind} '${c.pattern}' uses '[[${p.name}]]' before it is defined${why}`);
      }
    }
    try {
      compile(pieces, new Map(pieces.flatMap((p) => (p.kind === 'use' ? [[p.name, '']] : []))));
    } catch (e) {
      errors.push(`line ${c.line}: ${c.kind} '${c.pattern}': invalid regex: ${(e as Error).message}`);
    }
    parsed.push({ ...c, pieces });
  }
  return { parsed, errors };
}

interface Pos {
  line: number;
  col: number;
}

/** A match: where it ends (line, col), where it starts, and the regex match for its captures. */
interface Hit extends Pos {
  readonly start: Pos;
  readonly match: RegExpExecArray;
}

/** The first match in lines from..to (exclusive); on line upTo.line, only text before upTo.col is searched. */
function find(lines: readonly string[], re: RegExp, from: Pos, to: number, upTo?: Pos): Hit | undefined {
  for (let l = from.line; l < to; l++) {
    const first = l === from.line ? from.col : 0;
    const text = lines[l]!.slice(first, upTo && l === upTo.line ? Math.max(first, upTo.col) : undefined);
    const m = re.exec(text);
    if (m) return { line: l, col: first + m.index + m[0].length, start: { line: l, col: first + m.index }, match: m };
  }
  return undefined;
}

function bind(vars: Map<string, string>, compiled: Compiled, match: RegExpExecArray): void {
  compiled.defs.forEach((name, i) => vars.set(name, match.groups![groupName(i)]!));
}

/** Returns the failures (empty when every check holds). */
export function fileCheck(output: string, allChecks: readonly Check[]): string[] {
  const { parsed: checks, errors } = validate(allChecks);
  if (errors.length > 0) return errors.map((e) => `check file error: ${e}`);
  const lines = output.split('\n');
  const failures: string[] = [];
  const labels = checks.filter((c) => c.kind === 'CHECK-LABEL');
  const labelHits: { line: number; vars: Map<string, string> }[] = [];
  let searchFrom = 0;
  for (const l of labels) {
    const compiled = compile(l.pieces, new Map());
    const at = find(lines, compiled.re, { line: searchFrom, col: 0 }, lines.length);
    if (!at) {
      failures.push(`line ${l.line}: CHECK-LABEL '${l.pattern}' not found`);
      return failures;
    }
    const vars = new Map<string, string>();
    bind(vars, compiled, at.match);
    labelHits.push({ line: at.line, vars });
    searchFrom = at.line + 1;
  }
  // Checks before the first label run over the whole output; each label's checks over its block.
  let block = -1;
  let vars = new Map<string, string>();
  let pos: Pos = { line: 0, col: 0 };
  let end = labelHits[0]?.line ?? lines.length;
  let nots: { check: ParsedCheck; re: RegExp }[] = [];
  // A CHECK-NOT covers the text from the end of the previous match to the start of the next one.
  const flushNots = (upTo: Pos) => {
    for (const n of nots) {
      const hit = find(lines, n.re, pos, upTo.line + 1, upTo);
      if (hit) failures.push(`line ${n.check.line}: CHECK-NOT '${n.check.pattern}' found on output line ${hit.line + 1}: ${lines[hit.line]}`);
    }
    nots = [];
  };
  for (const c of checks) {
    if (c.kind === 'CHECK-LABEL') {
      flushNots({ line: end - 1, col: Infinity });
      block++;
      const hit = labelHits[block]!;
      vars = new Map(hit.vars);
      pos = { line: hit.line, col: lines[hit.line]!.length };
      end = labelHits[block + 1]?.line ?? lines.length;
      continue;
    }
    const compiled = compile(c.pieces, vars);
    if (c.kind === 'CHECK-NOT') {
      nots.push({ check: c, re: compiled.re });
      continue;
    }
    let at: Hit | undefined;
    if (c.kind === 'CHECK-NEXT') at = find(lines, compiled.re, { line: pos.line + 1, col: 0 }, Math.min(end, pos.line + 2));
    else if (c.kind === 'CHECK-SAME') at = find(lines, compiled.re, pos, pos.line + 1);
    else at = find(lines, compiled.re, pos, end);
    if (!at) {
      const bound = c.pieces.flatMap((p) => (p.kind === 'use' && vars.has(p.name) ? [`${p.name} = '${vars.get(p.name)}'`] : []));
      const withVars = bound.length > 0 ? ` (with ${[...new Set(bound)].join(', ')})` : '';
      failures.push(`line ${c.line}: ${c.kind} '${c.pattern}'${withVars} not found after output line ${pos.line + 1}`);
      return failures;
    }
    flushNots(at.start);
    bind(vars, compiled, at.match);
    pos = at;
  }
  flushNots({ line: end - 1, col: Infinity });
  return failures;
}
