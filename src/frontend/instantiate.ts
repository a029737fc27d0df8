import type { CharStream, TerminalNode } from 'antlr4ng';
import type { Span } from '../diag/span.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { formatType, typeEquals, type TensorType } from '../ir/types.js';
import {
  type BlockContext,
  type CallContext,
  type ExprContext,
  type KernelStmtContext,
  type LayerDeclContext,
  type LossDeclContext,
  NamedResultsContext,
  SingleResultContext,
  type StmtContext,
  type TensorTypeContext,
} from './generated/BertIRParser.js';
import { checkAssert, evalDim, evalDType, evalInt, evalType, explain, inputRange } from './constants.js';
import { checkNesting } from './declarations.js';
import { constNode, evalExpr } from './expressions.js';
import { MAX_CALL_DEPTH, MAX_ELEMENTS, MAX_LOOP_TRIPS, MAX_STEPS } from './limits.js';
import { parseExpr, spanOfToken } from './parse.js';
import { externalName, sourceText, unquote } from './program.js';
import { Abort, Fatal, joinScope, type Elaboration, type Frame } from './state.js';
import { describeValue, Env, isPoisoned, num, POISON, tensor, type Value } from './values.js';

/**
 * Layer instantiation: the model and every layer call with its own parameter scope, the
 * statements of their bodies (loops unrolled, kernel blocks recorded, taps collected), and the
 * checks of what a call passes and what a layer returns.
 */

/** The names a statement assigns (`x = ...`), loops included: a failed statement leaves them poisoned. */
function assignedNames(s: StmtContext, out: Set<string> = new Set()): Set<string> {
  const let_ = s.letStmt();
  if (let_) out.add(let_.ID().getText());
  for (const inner of s.forStmt()?.block().stmt() ?? []) assignedNames(inner, out);
  return out;
}

export function elaborateModel(el: Elaboration, entry: LayerDeclContext): Graph | undefined {
  const env = new Env();
  const frame: Frame = { layer: entry._name!.text!, scope: '', env, failed: false };
  const inputs: Node[] = [];
  if (entry.dimParams()) el.error('E0016', { detail: 'the model cannot have dimension parameters: give its dimensions in a config' }, el.span(entry.dimParams()!));
  for (const inp of entry.input()) {
    const name = inp.ID().getText();
    el.modelNames.set(name, 'an input of the model');
    if (env.has(name)) continue; // reported by checkDeclarations
    try {
      const type = evalType(el, inp.tensorType(), env);
      const range = inputRange(el, inp, type, env);
      const node = el.builder.input(externalName(inp), type, el.meta(el.span(inp), name, ''), range);
      inputs.push(node);
      env.define(name, tensor(node), el.span(inp));
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
      env.define(name, POISON, el.span(inp));
    }
  }
  const results = entry.results();
  const named = results instanceof NamedResultsContext ? results.namedResult() : [];
  for (const r of named) el.modelNames.set(r.ID().getText(), 'an output of the model');
  const names = results instanceof NamedResultsContext ? named.map(externalName) : ['output'];
  execBlock(el, entry.block(), frame, env, false);
  try {
    const values = checkResults(el, entry, frame);
    if (!values) return undefined;
    const outputs = values.map((v, i) => ({ name: names[i]!, node: (v as { node: Node }).node }));
    return { ctx: el.builder.ctx, name: frame.layer, body: [...el.builder.created], inputs, outputs, taps: el.taps };
  } catch (err) {
    if (err instanceof Abort) return undefined;
    throw err;
  }
}

/** A `loss` block, elaborated over the model: its scalar and the inputs it declares (`loss.<name>`). */
export interface LossValue {
  readonly name: string;
  readonly node: Node;
  readonly inputs: readonly Node[];
}

/** What the inputs file calls a loss's input `name`. */
export const lossInputName = (name: string) => `loss.${name}`;

/**
 * A `loss NAME(inputs) { ... return scalar; }` block: its body sees the model's outputs by name and
 * its own inputs, which become graph inputs named `loss.<input>`; it returns one floating-point
 * value (any shape of one element). Undefined, reported, on a mistake.
 */
export function elaborateLoss(el: Elaboration, decl: LossDeclContext, model: Graph): LossValue | undefined {
  const name = decl._name!.text!;
  const env = new Env();
  const frame: Frame = { layer: `loss ${name}`, scope: '', env, failed: false };
  for (const o of model.outputs) env.define(o.name, tensor(o.node), undefined);
  const inputs: Node[] = [];
  for (const inp of decl.input()) {
    const local = inp.ID().getText();
    if (model.outputs.some((o) => o.name === local)) {
      el.error('E0015', { name: local, where: ' as an output of the model' }, spanOfToken(inp.ID().symbol, el.p.file));
      continue;
    }
    if (env.has(local)) continue; // reported by checkDeclarations
    try {
      const type = evalType(el, inp.tensorType(), env);
      const range = inputRange(el, inp, type, env); // `labels: i32[B, S] in -100 .. V`, checked by bind as a model input's
      const node = el.builder.input(inp._external ? externalName(inp) : lossInputName(local), type, el.meta(el.span(inp), local, ''), range);
      inputs.push(node);
      env.define(local, tensor(node), el.span(inp));
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
      env.define(local, POISON, el.span(inp));
    }
  }
  const taps = el.taps.length;
  try {
    execBlock(el, decl.block(), frame, env, false);
    if (el.taps.length > taps) {
      el.taps.splice(taps);
      el.fail('E0016', { detail: `loss '${name}' cannot tap values: taps belong to the model` }, spanOfToken(decl._name!, el.p.file));
    }
    if (!frame.returned) el.fail('E0021', { detail: `loss '${name}' ends without 'return'` }, spanOfToken(decl.block().stop!, el.p.file));
    const { values, span } = frame.returned;
    if (values.length !== 1) el.fail('E0021', { detail: `loss '${name}' must return one value, not ${values.length}` }, span);
    const v = values[0]!;
    if (isPoisoned(v) || frame.failed) return undefined;
    if (v.kind !== 'tensor') el.fail('E0021', { detail: `loss '${name}' must return a tensor, not ${describeValue(v)}` }, span);
    const t = v.node.type;
    if (!(t.dtype === 'f32' || t.dtype === 'f16' || t.dtype === 'bf16') || t.shape.some((d) => d !== 1)) {
      el.fail('E0021', {
        detail: `loss '${name}' must return one floating-point value (f32[] or any shape of one element), not ${formatType(t)}: reduce it, e.g. reduce_sum(x, axes=[..])`,
      }, span);
    }
    for (const u of env.unusedParams()) el.diags.emit('E0013', { name: u.name }, u.span);
    return { name, node: v.node, inputs };
  } catch (err) {
    if (err instanceof Abort) return undefined;
    throw err;
  }
}

/** The result types a layer declares, evaluated in its environment. */
function resultTypes(el: Elaboration, layer: LayerDeclContext, env: Env): { name: string; type: TensorType; span: Span }[] {
  const r = layer.results();
  if (r instanceof SingleResultContext) return [{ name: 'result', type: evalType(el, r.tensorType(), env), span: el.span(r) }];
  return (r as NamedResultsContext).namedResult().map((n) => ({ name: n.ID().getText(), type: evalType(el, n.tensorType(), env), span: el.span(n) }));
}

/** The values a layer instance returns, checked against its declaration; undefined if they are poisoned. */
function checkResults(el: Elaboration, layer: LayerDeclContext, frame: Frame): Value[] | undefined {
  const name = frame.layer;
  if (!frame.returned) el.fail('E0021', { detail: `layer '${name}' ends without 'return'` }, spanOfToken(layer.block().stop!, el.p.file));
  const { values, span } = frame.returned;
  const expected = resultTypes(el, layer, frame.env);
  if (values.length !== expected.length) {
    el.fail('E0021', { detail: `layer '${name}' declares ${expected.length} result${expected.length === 1 ? '' : 's'} but returns ${values.length}` }, span);
  }
  if (values.some(isPoisoned)) return undefined;
  values.forEach((v, i) => {
    const want = expected[i]!;
    if (v.kind !== 'tensor') el.fail('E0021', { detail: `result '${want.name}' of '${name}' must be a tensor, not ${describeValue(v)}` }, span);
    if (!typeEquals(v.node.type, want.type)) {
      el.fail(v.node.type.dtype !== want.type.dtype ? 'E0007' : 'E0006', {
        detail: `layer '${name}' returns ${formatType(v.node.type)} for result '${want.name}', declared ${formatType(want.type)}`,
      }, span);
    }
  });
  if (!frame.failed) for (const u of frame.env.unusedParams()) el.diags.emit('E0013', { name: u.name }, u.span);
  return values;
}

export function callLayer(el: Elaboration, layer: LayerDeclContext, call: CallContext, args: Value[], kwargs: Map<string, { value: Value; span: Span }>, scope: string): Value {
  const name = layer._name!.text!;
  const callSpan = el.span(call);
  if (el.stack.some((s) => s.layer === name)) {
    if (el.recursive.has(name)) throw new Abort(); // reported once by checkRecursion
    const cycle = [...el.stack.slice(el.stack.findIndex((s) => s.layer === name)).map((s) => s.layer), name].join(' -> ');
    el.fail('E0010', { name, cycle }, callSpan);
  }
  if (layer._kind!.text === 'model') el.fail('E0016', { detail: `'${name}' is the model and cannot be called` }, callSpan);
  const results = layer.results();
  if (results instanceof NamedResultsContext && results.namedResult().length !== 1) {
    el.fail('E0021', { detail: `layer '${name}' returns ${results.namedResult().length} values; only single-result layers can be called` }, callSpan);
  }
  if (el.stack.length >= MAX_CALL_DEPTH) {
    el.fail('E0027', { detail: `layer calls nest more than ${MAX_CALL_DEPTH} deep here; bertc allows at most ${MAX_CALL_DEPTH}` }, callSpan);
  }
  const inputs = layer.input();
  if (args.length !== inputs.length) {
    el.fail('E0008', { op: name, expected: `${inputs.length} operand${inputs.length === 1 ? '' : 's'}`, found: args.length }, callSpan);
  }
  const env = new Env();
  const dims = new Set((layer.dimParams()?.ID() ?? []).map((t) => t.getText()));
  for (const [k, { value, span }] of kwargs) {
    if (!dims.has(k)) {
      const hint = dims.size ? ` (its dimension variables are ${[...dims].join(', ')})` : ' (it has no dimension variables)';
      el.fail('E0005', { op: name, name: k, hint }, span);
    }
    if (!isPoisoned(value) && (value.kind !== 'num' || !Number.isInteger(value.value) || value.value <= 0 || value.value > MAX_ELEMENTS)) {
      el.fail('E0009', { detail: `dimension '${k}' of layer '${name}' must be a positive integer up to ${MAX_ELEMENTS}, got ${describeValue(value)}` }, span);
    }
    env.define(k, value, span);
  }
  // Arguments fix dimension variables; a poisoned argument leaves the ones it would fix poisoned,
  // so that the body is still checked for mistakes of its own without errors about the argument.
  inputs.forEach((inp, i) => {
    const arg = args[i]!;
    if (arg.kind === 'tensor') unify(el, inp.tensorType(), arg.node.type, dims, env, `argument '${inp.ID().getText()}' of layer '${name}'`, callSpan);
    else if (!isPoisoned(arg)) el.fail('E0016', { detail: `argument '${inp.ID().getText()}' of layer '${name}' must be a tensor, not ${describeValue(arg)}` }, callSpan);
  });
  inputs.forEach((inp, i) => {
    if (!isPoisoned(args[i]!)) return;
    for (const e of inp.tensorType().expr()) if (dims.has(e.getText()) && !env.has(e.getText())) env.define(e.getText(), POISON, undefined);
  });
  inputs.forEach((inp, i) => env.define(inp.ID().getText(), args[i]!, el.span(inp)));
  for (const d of dims) {
    if (!env.has(d)) el.fail('E0009', { detail: `dimension '${d}' of layer '${name}' is neither given (${d}=...) nor fixed by an argument's shape` }, callSpan);
  }
  const frame: Frame = { layer: name, scope, env, failed: false };
  el.stack.push({ layer: name, scope, note: { message: `in layer '${name}'${scope ? ` (${scope})` : ''} called here`, span: callSpan } });
  try {
    execBlock(el, layer.block(), frame, env, false);
    return checkResults(el, layer, frame)?.[0] ?? POISON;
  } finally {
    el.stack.pop();
  }
}

/** Matches a declared input type against an argument's, binding dimension variables on the way. */
function unify(el: Elaboration, decl: TensorTypeContext, actual: TensorType, dims: Set<string>, env: Env, what: string, span: Span): void {
  const dtype = evalDType(el, decl);
  const exprs = decl.expr();
  // `f32[B, S, H], which is f32[2, 16, 128] here`: the declaration as written and with what its names stand for.
  const mismatch = (code: 'E0006' | 'E0007') => {
    const written = `${dtype}[${exprs.map((e) => sourceText(el.p, e)).join(', ')}]`;
    const known = `${dtype}[${exprs.map((e) => {
      const b = env.lookup(e.getText())?.value;
      const v = b ? (b.kind === 'num' ? b.value : undefined) : el.constants.get(e.getText());
      return v ?? sourceText(el.p, e);
    }).join(', ')}]`;
    const here = known === written ? '' : `, which is ${known} here`;
    el.fail(code, { detail: `${what} is ${formatType(actual)}, but the layer expects ${written}${here}` }, span);
  };
  if (dtype !== actual.dtype) mismatch('E0007');
  if (exprs.length !== actual.shape.length) mismatch('E0006');
  exprs.forEach((e, i) => {
    const text = e.getText();
    if (dims.has(text) && !env.has(text)) env.define(text, num(actual.shape[i]!), el.span(e));
    if (evalDim(el, e, env) !== actual.shape[i]) mismatch('E0006');
  });
}

/** Counts one unit of elaboration work; stops everything when the model is unreasonably large. */
function step(el: Elaboration, span: Span): void {
  if (++el.steps <= MAX_STEPS) return;
  el.error('E0027', {
    detail: `the model is too large to elaborate: it runs more than ${MAX_STEPS} statements once layers are inlined and loops unrolled`,
  }, span);
  throw new Fatal();
}

function execBlock(el: Elaboration, block: BlockContext, frame: Frame, env: Env, inLoop: boolean): void {
  for (const s of block.stmt()) {
    if (frame.returned) break;
    step(el, el.span(s));
    try {
      execStmt(el, s, frame, env, inLoop);
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
      // The error is reported; go on with the next statement so that later mistakes are found too.
      frame.failed = true;
      poisonTargets(el, s, frame, env);
    }
  }
}

/** After a statement failed: what it would have defined is poison, so later uses stay quiet. */
function poisonTargets(el: Elaboration, s: StmtContext, frame: Frame, env: Env): void {
  for (const name of assignedNames(s)) env.assign(name, POISON, el.span(s));
  const param = s.paramDecl();
  if (param && !env.has(param.ID().getText())) env.define(param.ID().getText(), POISON, el.span(param));
  const ret = s.returnStmt();
  if (ret) frame.returned = { values: ret.expr().map(() => POISON), span: el.span(ret) };
}

function execStmt(el: Elaboration, s: StmtContext, frame: Frame, env: Env, inLoop: boolean): void {
  const param = s.paramDecl();
  if (param) {
    const local = param.ID().getText();
    if (env.has(local)) el.fail('E0015', { name: local, where: ' in this layer' }, el.span(param));
    const suffix = param.STRING() ? unquote(param.STRING()!.getText()) : local;
    const hfName = joinScope(frame.scope, suffix);
    const type = evalType(el, param.tensorType(), env);
    env.define(local, tensor(paramNode(el, hfName, type, el.span(param), frame.scope)), el.span(param), true);
    return;
  }
  const let_ = s.letStmt();
  if (let_) {
    const name = let_.ID().getText();
    let v = evalExpr(el, let_.expr(), env, name);
    const annotated = let_.tensorType();
    if (annotated && !isPoisoned(v)) v = checkAnnotation(el, name, annotated, v, env, el.span(let_));
    env.assign(name, v, el.span(let_));
    return;
  }
  const loop = s.forStmt();
  if (loop) {
    const [lo, hi] = loop.expr().map((e) => evalInt(el, e, env, 'a loop bound')) as [number, number];
    if (hi - lo > MAX_LOOP_TRIPS) {
      const range = `${sourceText(el.p, loop.expr(0)!)} .. ${sourceText(el.p, loop.expr(1)!)}`;
      el.fail('E0027', {
        detail: `loop 'for ${loop.ID().getText()} in ${range}' would run ${hi - lo} times; bertc unrolls loops and allows at most ${MAX_LOOP_TRIPS} iterations${explain(el, loop.expr(1)!, env)}`,
      }, el.span(loop.expr(1)!));
    }
    for (let i = lo; i < hi; i++) {
      step(el, el.span(loop));
      const inner = env.child();
      inner.define(loop.ID().getText(), num(i), el.span(loop));
      execBlock(el, loop.block(), frame, inner, true);
    }
    return;
  }
  const tap = s.tapStmt();
  if (tap) {
    const name = interpolate(el, tap.STRING(), env);
    const v = evalExpr(el, tap.expr(), env, '');
    if (isPoisoned(v)) return;
    if (v.kind !== 'tensor') el.fail('E0016', { detail: `tap '${name}' must name a tensor, not ${describeValue(v)}` }, el.span(tap));
    const clash = el.modelNames.get(name);
    if (clash) el.fail('E0015', { name, where: ` as ${clash}` }, el.span(tap));
    if (el.taps.some((t) => t.name === name)) el.fail('E0015', { name, where: ' as a tap' }, el.span(tap));
    el.taps.push({ name, node: v.node });
    return;
  }
  const assert = s.assertStmt();
  if (assert) {
    checkAssert(el, assert, env);
    return;
  }
  const kernel = s.kernelStmt();
  if (kernel) {
    execKernel(el, kernel, frame, env, inLoop);
    return;
  }
  const ret = s.returnStmt()!;
  if (inLoop) {
    el.fail('E0021', { detail: "'return' inside a 'for' loop would end the layer in the loop's first iteration: return after the loop" }, el.span(ret));
  }
  frame.returned = { values: ret.expr().map((e) => evalExpr(el, e, env, '')), span: el.span(ret) };
}

/** A kernel block: its statements define names in the enclosing scope; its ops are recorded. */
function execKernel(el: Elaboration, k: KernelStmtContext, frame: Frame, env: Env, inLoop: boolean): void {
  const name = k.ID().getText();
  if (el.kernels.has(name)) el.fail('E0015', { name, where: ' as a kernel' }, el.span(k));
  if (el.currentKernel) el.fail('E0016', { detail: `kernel '${name}' is inside kernel '${el.currentKernel.name}'; kernels do not nest` }, el.span(k));
  const ops: Node[] = [];
  el.kernels.set(name, ops);
  el.currentKernel = { name, ops };
  try {
    execBlock(el, k.block(), frame, env, inLoop);
  } finally {
    el.currentKernel = undefined;
  }
}

function paramNode(el: Elaboration, name: string, type: TensorType, span: Span, scope: string): Node {
  const prev = el.params.get(name);
  if (prev) {
    if (!typeEquals(prev.type, type)) el.fail('E0026', { name, first: formatType(prev.type), second: formatType(type) }, span);
    return prev;
  }
  const n = el.builder.param(name, type, el.meta(span, '', scope));
  el.params.set(name, n);
  return n;
}

function checkAnnotation(el: Elaboration, name: string, t: TensorTypeContext, v: Value, env: Env, span: Span): Value {
  const declared = evalType(el, t, env);
  if ((v.kind === 'num' || v.kind === 'bool') && declared.shape.length === 0) return tensor(constNode(el, Number(v.value), declared.dtype, span, name));
  if (v.kind !== 'tensor') el.fail('E0016', { detail: `'${name}' is declared ${formatType(declared)} but its value is ${describeValue(v)}` }, span);
  if (!typeEquals(declared, v.node.type)) el.fail('E0020', { name, declared: formatType(declared), found: formatType(v.node.type) }, span);
  return v;
}

/**
 * The text of a string literal with its `{expr}` holes replaced by their integer values
 * (`"encoder.layer.{l}"`). Errors in a hole point into the string.
 */
export function interpolate(el: Elaboration, tok: TerminalNode | null, env: Env): string {
  if (!tok) return '';
  const raw = tok.getText();
  // By code point, as the lexer counts columns and offsets: character i (0 is the opening quote) is
  // at column `column + i + 1`, 1-based, and at offset `start + i` in the source.
  const chars = Array.from(raw);
  const { line, column, start } = tok.symbol;
  const at = (from: number, to: number): Span => ({ file: el.p.file, line, col: column + from + 1, endLine: line, endCol: column + to + 1 });
  let out = '';
  for (let i = 1; i < chars.length - 1; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      out += chars[++i];
    } else if (c === '}') {
      el.fail('E0001', { detail: `'}' in ${raw} has no matching '{'` }, at(i, i + 1));
    } else if (c !== '{') {
      out += c;
    } else {
      const close = chars.indexOf('}', i + 1);
      if (close < 0) el.fail('E0001', { detail: `'{' in ${raw} has no matching '}'` }, at(i, i + 1));
      const hole = chars.slice(i + 1, close).join('');
      const e = parseHole(el, tok.symbol.inputStream!, start + i + 1, start + close);
      if (!e) throw new Abort();
      const v = evalExpr(el, e, env, '');
      if (isPoisoned(v)) throw new Abort();
      if (v.kind !== 'num' || !Number.isInteger(v.value)) {
        el.fail('E0016', { detail: `'{${hole}}' in a name must be an integer constant, not ${describeValue(v)}` }, at(i, close + 1));
      }
      out += String(v.value);
      i = close;
    }
  }
  return out;
}

/** A hole of an interpolated string, parsed once however often it is evaluated; undefined if it does not parse (reported). */
function parseHole(el: Elaboration, source: CharStream, from: number, to: number): ExprContext | undefined {
  if (!el.holes.has(from)) {
    const e = parseExpr(source, from, to, el.p.file, el.diags);
    el.holes.set(from, e && checkNesting(el, e) ? e : undefined);
  }
  return el.holes.get(from);
}

