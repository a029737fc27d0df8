import { BaseErrorListener, CharStream, CommonTokenStream, type ParserRuleContext, type RecognitionException, type Recognizer, type Token, type ATNSimulator } from 'antlr4ng';
import type { DiagnosticBag } from '../diag/diagnostics.js';
import type { Span } from '../diag/span.js';
import { BertIRLexer } from './generated/BertIRLexer.js';
import { BertIRParser, type ExprContext, type ProgramContext } from './generated/BertIRParser.js';

/** Reports ANTLR's syntax errors as E0001 diagnostics instead of printing them to the console. */
class SyntaxErrorCollector extends BaseErrorListener {
  constructor(private readonly file: string, private readonly diags: DiagnosticBag, private readonly offset: Span | undefined) {
    super();
  }

  override syntaxError<S extends Token, T extends ATNSimulator>(
    _r: Recognizer<T>, offending: S | null, line: number, col: number, msg: string, _e: RecognitionException | null,
  ): void {
    const width = offending && offending.stop >= offending.start ? offending.stop - offending.start + 1 : 1;
    const span: Span = this.offset ?? { file: this.file, line, col: col + 1, endLine: line, endCol: col + 1 + width };
    this.diags.emit('E0001', { detail: friendlier(msg) }, span);
  }
}

/** ANTLR's messages name token types; say it the way a user reads the source. */
function friendlier(msg: string): string {
  return msg.replace(/<EOF>/g, 'end of file').replace(/token recognition error at: /, 'unexpected character ');
}

function makeParser(text: string, file: string, diags: DiagnosticBag, offset?: Span): BertIRParser {
  const lexer = new BertIRLexer(CharStream.fromString(text));
  const listener = new SyntaxErrorCollector(file, diags, offset);
  lexer.removeErrorListeners();
  lexer.addErrorListener(listener);
  const parser = new BertIRParser(new CommonTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(listener);
  return parser;
}

export function parseProgram(text: string, file: string, diags: DiagnosticBag): ProgramContext {
  return makeParser(text, file, diags).program();
}

/** Parses the `{expr}` holes of an interpolated string; errors point at the whole string. */
export function parseExpr(text: string, file: string, diags: DiagnosticBag, at: Span): ExprContext | undefined {
  const before = diags.errorCount;
  const parser = makeParser(text, file, diags, at);
  const e = parser.expr();
  if (parser.getCurrentToken().type !== BertIRParser.EOF) diags.emit('E0001', { detail: `unexpected '${parser.getCurrentToken().text}' in '{${text}}'` }, at);
  return diags.errorCount === before ? e : undefined;
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
