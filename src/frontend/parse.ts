import {
  BaseErrorListener,
  CharStream,
  CommonTokenStream,
  DefaultErrorStrategy,
  type ATNSimulator,
  type IntervalSet,
  type NoViableAltException,
  type Parser,
  type ParserRuleContext,
  type RecognitionException,
  type Recognizer,
  Token,
} from 'antlr4ng';
import type { DiagnosticBag } from '../diag/diagnostics.js';
import type { Span } from '../diag/span.js';
import { INPUT_KINDS, sizeLimitMessage } from '../io/limits.js';
import { BertIRLexer } from './generated/BertIRLexer.js';
import { BertIRParser, type ExprContext, type ProgramContext } from './generated/BertIRParser.js';

/** Reports syntax errors as E0001 diagnostics instead of printing them to the console. */
class SyntaxErrorCollector extends BaseErrorListener {
  constructor(private readonly file: string, private readonly diags: DiagnosticBag) {
    super();
  }

  override syntaxError<S extends Token, T extends ATNSimulator>(
    _r: Recognizer<T>, offending: S | null, line: number, col: number, msg: string, _e: RecognitionException | null,
  ): void {
    const width = offending && offending.stop >= offending.start ? offending.stop - offending.start + 1 : 1;
    this.diags.emit('E0001', { detail: msg }, { file: this.file, line, col: col + 1, endLine: line, endCol: col + 1 + width });
  }
}

/** How a token reads in a message: `';'`, `end of file`; `eof` names the end of the text parsed. */
function describeToken(t: Token, eof = 'end of file'): string {
  return t.type === Token.EOF ? eof : `'${t.text}'`;
}

const literalType = (text: string) => BertIRLexer.literalNames.indexOf(`'${text}'`);
/** Tokens that can start an expression: a set that has them all is said as "an expression". */
const EXPRESSION_START = [BertIRLexer.NUMBER, BertIRLexer.ID, BertIRLexer.STRING, literalType('('), literalType('[')];
/** Keywords that only start a statement. */
const STATEMENT_START = ['param', 'for', 'tap', 'return', 'kernel'];

function tokenName(type: number, eof: string): string {
  if (type === Token.EOF) return eof;
  if (type === BertIRLexer.NUMBER) return 'a number';
  if (type === BertIRLexer.ID) return 'a name';
  if (type === BertIRLexer.STRING) return 'a string';
  return BertIRLexer.literalNames[type] ?? BertIRLexer.symbolicNames[type] ?? `token ${type}`;
}

/** `';'`, `',' or ';'`, `an expression`, `a statement or '}'`: an expected-token set as a reader says it. */
function describeExpected(set: IntervalSet, eof: string): string {
  let types = set.toArray();
  const names: string[] = [];
  const literal = (t: number) => (BertIRLexer.literalNames[t] ?? '').slice(1, -1);
  if (STATEMENT_START.every((k) => types.some((t) => literal(t) === k))) {
    names.push('a statement');
    types = types.filter((t) => !STATEMENT_START.includes(literal(t)) && literal(t) !== 'assert' && t !== BertIRLexer.ID);
  } else if (EXPRESSION_START.every((t) => types.includes(t))) {
    names.push('an expression');
    types = types.filter((t) => !EXPRESSION_START.includes(t) && !['-', '!'].includes(literal(t)));
  }
  // A top-level 'loss' block is an addition to a model, not an alternative to one: the list of what
  // may start an item names the model's kinds (and stays as it was before losses existed).
  if (types.some((t) => literal(t) === 'model')) types = types.filter((t) => literal(t) !== 'loss');
  // End of file reads best last: "expected 'layer' or 'model' or end of file".
  const name = (t: number) => tokenName(t, eof);
  names.push(...types.filter((t) => t !== Token.EOF).map(name), ...types.filter((t) => t === Token.EOF).map(name));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0] ?? 'something else';
}

/**
 * ANTLR's default messages name token types and sets (`mismatched input '}' expecting {',', ';'}`);
 * these say what was expected and what was found, the way a user reads the source.
 */
class FriendlyErrorStrategy extends DefaultErrorStrategy {
  /** `eof`: how to name the end of the text, which is the closing '}' when parsing a "{...}" hole. */
  constructor(private readonly eof: string) {
    super();
  }

  override reportNoViableAlternative(recognizer: Parser, e: NoViableAltException): void {
    this.report(recognizer, e.offendingToken ?? recognizer.getCurrentToken(), e.getExpectedTokens(), e);
  }

  override reportInputMismatch(recognizer: Parser, e: RecognitionException): void {
    this.report(recognizer, e.offendingToken ?? recognizer.getCurrentToken(), e.getExpectedTokens(), e);
  }

  override reportUnwantedToken(recognizer: Parser): void {
    if (this.inErrorRecoveryMode(recognizer)) return;
    this.beginErrorCondition(recognizer);
    this.report(recognizer, recognizer.getCurrentToken(), this.getExpectedTokens(recognizer), null);
  }

  override reportMissingToken(recognizer: Parser): void {
    if (this.inErrorRecoveryMode(recognizer)) return;
    this.beginErrorCondition(recognizer);
    this.report(recognizer, recognizer.getCurrentToken(), this.getExpectedTokens(recognizer), null);
  }

  private report(recognizer: Parser, found: Token, expected: IntervalSet | null, e: RecognitionException | null): void {
    // A string with no closing quote on its line does not lex as a string: its quote is left over.
    const msg = found.type === BertIRLexer.ERROR_CHAR
      ? found.text === '"' ? 'unterminated string: a string must end with \'"\' on the line it starts' : `unexpected character '${found.text}'`
      : expected && expected.length > 0
        ? `expected ${describeExpected(expected, this.eof)}, found ${describeToken(found, this.eof)}`
        : `unexpected ${describeToken(found, this.eof)}`;
    recognizer.notifyErrorListeners(msg, found, e);
  }
}

/**
 * Limits on a source beyond its size in bytes (INPUT_KINDS.irSource, checked by the file reader and
 * again here for text from elsewhere), documented in docs/language.md. The flattened BERT-base
 * (`bertc print --config base`) has lines of at most 220 characters and 17,000 tokens (whitespace
 * and comments count too); lexing and parsing take about 5 microseconds a token, and elaborating
 * more, so these keep any file about a second from its diagnostic, where a megabyte of one repeated
 * statement took tens of seconds.
 * A `{...}` hole in a name is one token to the lexer but a parse of its own (about 200
 * microseconds), so holes have their own limit; BERT has a handful.
 */
export const SOURCE_LIMITS = { lineLength: 10_000, tokens: 100_000, holes: 1_000 } as const;

/** Thrown by the lexer at the token past SOURCE_LIMITS.tokens; `guarded` reports it. */
class TooManyTokens extends Error {
  constructor(readonly token: Token) {
    super('too many tokens');
  }
}

/** Counts every token, comments and whitespace included, since each costs the same to make. */
class BoundedLexer extends BertIRLexer {
  private count = 0;

  override nextToken(): Token {
    const t = super.nextToken();
    if (++this.count > SOURCE_LIMITS.tokens) throw new TooManyTokens(t);
    return t;
  }
}

function makeParser(text: string, file: string, diags: DiagnosticBag, eof = 'end of file', at?: { line: number; column: number }): BertIRParser {
  const lexer = new BoundedLexer(CharStream.fromString(text));
  if (at) [lexer.line, lexer.column] = [at.line, at.column];
  const listener = new SyntaxErrorCollector(file, diags);
  lexer.removeErrorListeners();
  lexer.addErrorListener(listener);
  const parser = new BertIRParser(new CommonTokenStream(lexer));
  parser.errorHandler = new FriendlyErrorStrategy(eof);
  parser.removeErrorListeners();
  parser.addErrorListener(listener);
  return parser;
}

/**
 * Runs a parser rule. The parser recurses once per level of nesting, so input like a thousand
 * nested parentheses exhausts the stack; that is reported at the point reached, not thrown.
 */
function guarded<T>(parser: BertIRParser, rule: () => T, file: string, diags: DiagnosticBag): T | undefined {
  try {
    return rule();
  } catch (e) {
    if (e instanceof TooManyTokens) {
      const detail = `the source has more than ${SOURCE_LIMITS.tokens.toLocaleString('en-US')} tokens, the most bertc reads: split it into several files or use loops and layers`;
      diags.emit('E0027', { detail }, spanOfToken(e.token, file));
      return undefined;
    }
    if (!(e instanceof RangeError) || !/call stack/.test(e.message)) throw e;
    diags.emit('E0027', { detail: 'the source nests too deeply to parse: split the expression into several statements' }, spanOfToken(parser.getCurrentToken(), file));
    return undefined;
  }
}

/**
 * The parse tree, or undefined when the source has syntax errors or exceeds a limit (reported to
 * `diags`).
 */
export function parseProgram(text: string, file: string, diags: DiagnosticBag): ProgramContext | undefined {
  if (!withinLimits(text, file, diags)) return undefined;
  const parser = makeParser(text, file, diags);
  const tree = guarded(parser, () => parser.program(), file, diags);
  return parser.numberOfSyntaxErrors > 0 || tree === undefined ? undefined : tree;
}

/** The size and line-length limits, checked before lexing: the first line over the limit is reported. */
function withinLimits(text: string, file: string, diags: DiagnosticBag): boolean {
  // A UTF-16 unit is at most 3 bytes of UTF-8; only a text that might be too large is measured.
  const kind = INPUT_KINDS.irSource;
  if (text.length * 3 > kind.maxBytes) {
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > kind.maxBytes) {
      diags.emit('E0027', { detail: sizeLimitMessage(file, kind, bytes) });
      return false;
    }
  }
  const max = SOURCE_LIMITS.lineLength;
  for (let start = 0, line = 1; start <= text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > max) {
      const long = text.slice(start, end);
      const width = Array.from(long).length;
      if (width > max) {
        const detail = `this line is ${width.toLocaleString('en-US')} characters long; bertc reads lines of at most ${max.toLocaleString('en-US')}`;
        diags.emit('E0027', { detail }, { file, line, col: max + 1, endLine: line, endCol: width + 1 });
        return false;
      }
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return true;
}

/** The holes parsed in each source, by offset: each elaboration of a config parses them again. */
const holesParsed = new WeakMap<CharStream, Set<number>>();

function holeWithinLimit(source: CharStream, from: number): boolean {
  let seen = holesParsed.get(source);
  if (!seen) holesParsed.set(source, (seen = new Set()));
  seen.add(from);
  return seen.size <= SOURCE_LIMITS.holes;
}

/** Where each line starts, in code points (the CharStream's offsets), per stream: built once. */
const lineStarts = new WeakMap<CharStream, number[]>();

function positionOf(source: CharStream, offset: number): { line: number; column: number } {
  let starts = lineStarts.get(source);
  if (!starts) {
    starts = [0];
    let i = 0;
    for (const c of source.getTextFromRange(0, source.size - 1)) {
      i++;
      if (c === '\n') starts.push(i);
    }
    lineStarts.set(source, starts);
  }
  let [lo, hi] = [0, starts.length - 1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! };
}

/**
 * Parses the code points `from` to `to` (exclusive) of `source`, the `{expr}` hole of an
 * interpolated string, as an expression. The lexer starts at the hole's line and column, so that
 * errors point into the string and source excerpts work as anywhere else; offsets count from the
 * hole. (Blanking out the text before the hole instead made each hole cost the whole file.)
 * Undefined when it has syntax errors (reported).
 */
export function parseExpr(source: CharStream, from: number, to: number, file: string, diags: DiagnosticBag): ExprContext | undefined {
  if (!holeWithinLimit(source, from)) {
    const detail = `the source has more than ${SOURCE_LIMITS.holes.toLocaleString('en-US')} "{...}" holes in names, the most bertc reads`;
    const { line, column } = positionOf(source, from);
    diags.emit('E0027', { detail }, { file, line, col: column + 1, endLine: line, endCol: column + 1 + (to - from) });
    return undefined;
  }
  const parser = makeParser(source.getTextFromRange(from, to - 1), file, diags, "'}'", positionOf(source, from));
  const e = guarded(parser, () => parser.expr(), file, diags);
  if (!e || parser.numberOfSyntaxErrors > 0) return undefined;
  const rest = parser.getCurrentToken();
  if (rest.type !== Token.EOF) {
    const before = source.getTextFromRange(from, from + rest.start - 1).trim();
    diags.emit('E0001', { detail: `expected '}' after '${before}', found ${describeToken(rest)}` }, spanOfToken(rest, file));
    return undefined;
  }
  return e;
}

export function spanOf(ctx: ParserRuleContext, file: string): Span {
  const start = ctx.start!;
  const stop = ctx.stop ?? start;
  const stopText = stop.text ?? '';
  const lines = stopText.split('\n');
  const endLine = stop.line + lines.length - 1;
  const endCol = lines.length > 1 ? lines[lines.length - 1]!.length + 1 : stop.column + 1 + stopText.length;
  return { file, line: start.line, col: start.column + 1, endLine, endCol };
}

export function spanOfToken(t: Token, file: string): Span {
  const len = Math.max(1, (t.text ?? '').length);
  return { file, line: t.line, col: t.column + 1, endLine: t.line, endCol: t.column + 1 + len };
}
