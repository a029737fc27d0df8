import { type ParseTree } from 'antlr4ng';
import { formatSpan, type Span } from '../diag/span.js';
import { didYouMean } from '../diag/suggest.js';
import { DTYPES, isDType, isInteger, type DType } from '../ir/dtype.js';
import { numel } from '../ir/shape.js';
import { formatType, tensorType, type TensorType } from '../ir/types.js';
import {
  type AssertStmtContext,
  type ConstDeclContext,
  type ExprContext,
  type InputContext,
  NameRefContext,
  NumberLitContext,
  PrimaryExprContext,
  type TensorTypeContext,
} from './generated/BertIRParser.js';
import type { ElaborateOptions } from './elaborate.js';
import { evalExpr } from './expressions.js';
import { MAX_ELEMENTS } from './limits.js';
import { spanOfToken } from './parse.js';
import { sourceText, unquote } from './program.js';
import { Abort, type Elaboration } from './state.js';
import { bool, describeValue, Env, isPoisoned, num, type Value } from './values.js';

/**
 * Configs and constants: choosing the config and applying --set, global constants and assertions,
 * and the constant expressions of types (dtypes, dimensions, value ranges), with the explanation
 * of a failed check in terms of the constants it reads.
 */

export const BUILTINS: ReadonlyMap<string, Value> = new Map([
  ['true', bool(true)],
  ['false', bool(false)],
  ['inf', num(Infinity)],
  ['nan', num(NaN)],
  ['pi', num(Math.PI)],
]);

/** Returns the chosen config name, undefined when the file has none, or null on error. */
export function selectConfig(el: Elaboration, opts: ElaborateOptions): string | undefined | null {
  const names = [...el.p.configs.keys()];
  let name = opts.config;
  if (name === undefined) {
    if (names.length > 1) {
      el.error('E0004', { detail: `${el.p.file} defines several configs (${names.join(', ')}): choose one with --config` });
      return null;
    }
    name = names[0];
  }
  const sets = opts.sets ?? new Map<string, number>();
  if (name === undefined) {
    for (const k of sets.keys()) el.error('E0024', { name: k, detail: `${el.p.file} defines no config, so there is nothing to set` });
    return sets.size ? null : undefined;
  }
  const cfg = el.p.configs.get(name);
  if (!cfg) {
    const known = names.length ? `this file defines: ${names.join(', ')}` : 'this file defines no config';
    el.error('E0004', { detail: `unknown config '${name}' (${known})` });
    return null;
  }
  const entries = cfg.configEntry();
  const known = entries.map((e) => e.ID().getText());
  let ok = true;
  for (const k of sets.keys()) {
    if (!known.includes(k)) {
      const hint = didYouMean(k, known) || ` (it has: ${known.join(', ')})`;
      el.error('E0024', { name: k, detail: `config '${name}' has no constant '${k}'${hint}` });
      ok = false;
    }
  }
  if (!ok) return null;
  for (const entry of entries) {
    const key = entry.ID().getText();
    const set = sets.get(key);
    if (set !== undefined) el.userSets.add(key);
    try {
      defineConstant(el, key, el.span(entry), () => (set !== undefined ? num(set) : evalConst(el, entry.expr(), new Env())));
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
    }
  }
  return name;
}


export function defineGlobal(el: Elaboration, g: ConstDeclContext): void {
  const name = g.ID().getText();
  defineConstant(el, name, el.span(g), () => evalConst(el, g.expr(), new Env()));
  el.constExprs.set(name, g.expr());
}


/** Defines a config or global constant; if computing it fails, reading it later gives poison. */
function defineConstant(el: Elaboration, name: string, span: Span, compute: () => Value): void {
  if (el.constants.has(name) || el.poisonedConstants.has(name) || BUILTINS.has(name)) {
    const prev = el.constSpans.get(name);
    el.fail('E0015', { name, where: prev ? ` at ${formatSpan(prev)}` : ' (built in)' }, span);
  }
  el.constSpans.set(name, span);
  el.poisonedConstants.add(name);
  const v = compute();
  if (v.kind !== 'num' && v.kind !== 'bool') el.fail('E0016', { detail: `constant '${name}' must be a number or a boolean, not ${describeValue(v)}` }, span);
  el.poisonedConstants.delete(name);
  el.constants.set(name, v.value);
}


function evalConst(el: Elaboration, e: ExprContext, env: Env): Value {
  const v = evalExpr(el, e, env, '');
  if (v.kind === 'tensor') el.fail('E0016', { detail: `'${sourceText(el.p, e)}' must be a constant, but it is a tensor` }, el.span(e));
  if (isPoisoned(v)) throw new Abort();
  return v;
}


export function checkAssert(el: Elaboration, a: AssertStmtContext, env: Env): void {
  const v = evalConst(el, a.expr(), env);
  if (v.kind !== 'bool') el.fail('E0016', { detail: `an assertion must be a comparison, but '${sourceText(el.p, a.expr())}' is ${describeValue(v)}` }, el.span(a.expr()));
  if (v.value) return;
  const msg = a.STRING() ? `${unquote(a.STRING()!.getText())}: ` : '';
  el.fail('E0017', { detail: `${msg}${sourceText(el.p, a.expr())}${explain(el, a.expr(), env)}` }, el.span(a.expr()));
}


/**
 * ` (with D = H / NH, H = 100, NH = 12)`: what the names in an expression stand for, to explain
 * a failed check. Global constants defined by an expression are shown with it, then its names.
 */
export function explain(el: Elaboration, e: ExprContext, env: Env): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  const walk = (t: ParseTree) => {
    if (t instanceof NameRefContext) describe(t.getText());
    for (let i = 0; i < t.getChildCount(); i++) walk(t.getChild(i)!);
  };
  const describe = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const b = env.lookup(n)?.value;
    if (b) {
      if (b.kind === 'num' || b.kind === 'bool') parts.push(`${n} = ${b.value}`);
      return;
    }
    const def = el.constExprs.get(n);
    if (def && !(def instanceof PrimaryExprContext && def.primary() instanceof NumberLitContext)) {
      parts.push(`${n} = ${sourceText(el.p, def)}`);
      walk(def);
      return;
    }
    const v = el.constants.get(n);
    if (v !== undefined) parts.push(`${n} = ${v}`);
  };
  walk(e);
  // `dimension 'B' is 0 (with B = 0)` would say nothing new.
  const bareName = e instanceof PrimaryExprContext && e.primary() instanceof NameRefContext;
  if (bareName && parts.length === 1 && !el.constExprs.has(e.getText())) return '';
  return parts.length ? ` (with ${parts.join(', ')})` : '';
}


export function evalDType(el: Elaboration, t: TensorTypeContext): DType {
  const d = t._dtype!.text!;
  if (!isDType(d)) el.fail('E0002', { name: d, hint: `: not a dtype${didYouMean(d, DTYPES)}` }, spanOfToken(t._dtype!, el.p.file));
  return d;
}


export function evalType(el: Elaboration, t: TensorTypeContext, env: Env): TensorType {
  const dtype = evalDType(el, t);
  const type = tensorType(dtype, t.expr().map((e) => evalDim(el, e, env)));
  checkSize(el, type, '', el.span(t));
  return type;
}


export function evalDim(el: Elaboration, e: ExprContext, env: Env): number {
  const v = evalConst(el, e, env);
  const text = sourceText(el.p, e);
  const what = `dimension '${text}'`;
  const bad = v.kind !== 'num' || !Number.isInteger(v.value) || v.value <= 0;
  // A bad --set is one mistake, however many types use the constant: said once, about the option.
  if (bad && el.userSets.has(text) && !env.has(text)) {
    el.fail('E0024', { name: text, detail: `${text} = ${v.kind === 'num' ? v.value : describeValue(v)} is used as a dimension, which must be a positive integer` });
  }
  if (bad) {
    el.fail('E0009', { detail: `${what} must be a positive integer, but it is ${v.kind === 'num' ? v.value : describeValue(v)}${explain(el, e, env)}` }, el.span(e));
  }
  if (v.value > MAX_ELEMENTS) {
    el.fail('E0009', { detail: `${what} is ${v.value}${explain(el, e, env)}; bertc supports dimensions up to ${MAX_ELEMENTS} (2^31 - 1)` }, el.span(e));
  }
  return v.value;
}


/**
 * Rejects tensors too large to index with 32-bit integers, before anything is allocated for them;
 * `producer` names the op that makes one.
 */
export function checkSize(el: Elaboration, t: TensorType, producer: string, span: Span): void {
  const n = numel(t.shape);
  if (n > MAX_ELEMENTS) {
    const what = producer ? `'${producer}' gives ${formatType(t)}, which has` : `${formatType(t)} has`;
    el.fail('E0009', { detail: `${what} ${n} elements; bertc supports at most ${MAX_ELEMENTS} (2^31 - 1) elements per tensor` }, span);
  }
}


/** The declared `in lo .. hi` of an integer input, checked on the host before any target runs. */
export function inputRange(el: Elaboration, inp: InputContext, type: TensorType, env: Env): number[] | undefined {
  if (!inp._lo || !inp._hi) return undefined;
  const span = el.span(inp._lo);
  if (!isInteger(type.dtype)) el.fail('E0007', { detail: `a value range needs an integer input, but '${inp.ID().getText()}' is ${formatType(type)}` }, span);
  const lo = evalInt(el, inp._lo, env, 'a range bound');
  const hi = evalInt(el, inp._hi, env, 'a range bound');
  if (hi <= lo) el.fail('E0018', { detail: `the range ${lo} .. ${hi} of '${inp.ID().getText()}' is empty: it holds the values lo, lo + 1, ..., hi - 1` }, span);
  return [lo, hi];
}


export function evalInt(el: Elaboration, e: ExprContext, env: Env, what: string): number {
  const v = evalConst(el, e, env);
  if (v.kind !== 'num' || !Number.isInteger(v.value)) el.fail('E0016', { detail: `${what} must be an integer, but '${sourceText(el.p, e)}' is ${describeValue(v)}` }, el.span(e));
  return v.value;
}

