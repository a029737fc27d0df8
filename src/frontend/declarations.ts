import { TerminalNode, type ParserRuleContext, type ParseTree } from 'antlr4ng';
import { formatSpan, type Span } from '../diag/span.js';
import { CallContext, NamedResultsContext } from './generated/BertIRParser.js';
import { MAX_NESTING } from './limits.js';
import { spanOfToken } from './parse.js';
import type { Elaboration } from './state.js';

/** Checks of the declarations, made before any layer is instantiated. */

/** Every call in a parse subtree, in source order. */
function callsIn(t: ParseTree, out: CallContext[] = []): CallContext[] {
  if (t instanceof CallContext) out.push(t);
  for (let i = 0; i < t.getChildCount(); i++) callsIn(t.getChild(i)!, out);
  return out;
}

/** The deepest node of a parse tree and its depth, found without recursion: the tree may be deeper than the stack. */
function deepest(root: ParseTree): { node: ParseTree; depth: number } {
  let best = { node: root, depth: 0 };
  const todo: [ParseTree, number][] = [[root, 0]];
  while (todo.length) {
    const [node, depth] = todo.pop()!;
    if (depth > best.depth) best = { node, depth };
    for (let i = 0; i < node.getChildCount(); i++) todo.push([node.getChild(i)!, depth + 1]);
  }
  return best;
}

/** False, reported, when a tree nests too deeply for the elaborator, which recurses along it. */
export function checkNesting(el: Elaboration, root: ParseTree): boolean {
  const { node, depth } = deepest(root);
  if (depth <= MAX_NESTING) return true;
  const span = node instanceof TerminalNode ? spanOfToken(node.symbol, el.p.file) : el.span(node as ParserRuleContext);
  el.error('E0027', { detail: `this nests more than ${MAX_NESTING} levels deep (expressions inside expressions): split it into several statements` }, span);
  return false;
}


/** Names declared twice in one signature: among dimension variables and inputs, and among named results. */
export function checkDeclarations(el: Elaboration): void {
  for (const layer of el.p.layers.values()) {
    reportDuplicates(el, [...(layer.dimParams()?.ID() ?? []), ...layer.input().map((i) => i.ID())]);
    const results = layer.results();
    if (results instanceof NamedResultsContext) reportDuplicates(el, results.namedResult().map((r) => r.ID()));
  }
  for (const loss of el.p.losses.values()) reportDuplicates(el, loss.input().map((i) => i.ID()));
}


function reportDuplicates(el: Elaboration, names: readonly TerminalNode[]): void {
  const seen = new Map<string, Span>();
  for (const tok of names) {
    const span = spanOfToken(tok.symbol, el.p.file);
    const prev = seen.get(tok.getText());
    if (prev) el.error('E0015', { name: tok.getText(), where: ` at ${formatSpan(prev)}` }, span);
    else seen.set(tok.getText(), span);
  }
}


/**
 * Reports every cycle of layer calls once, at the call that closes it, before elaboration: found
 * while instantiating, a cycle would be reported once per way into it, and only if it is reached.
 */
export function checkRecursion(el: Elaboration): void {
  const callees = new Map<string, CallContext[]>();
  for (const [name, decl] of el.p.layers) {
    callees.set(name, callsIn(decl.block()).filter((c) => el.p.layers.get(c._callee!.text!)?._kind!.text === 'layer'));
  }
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string) => {
    path.push(name);
    for (const call of callees.get(name)!) {
      const callee = call._callee!.text!;
      const at = path.indexOf(callee);
      if (at >= 0) {
        const cycle = [...path.slice(at), callee];
        cycle.forEach((l) => el.recursive.add(l));
        el.diags.emit('E0010', { name: callee, cycle: cycle.join(' -> ') }, el.span(call));
      } else if (!done.has(callee)) {
        visit(callee);
      }
    }
    path.pop();
    done.add(name);
  };
  for (const name of el.p.layers.keys()) if (!done.has(name)) visit(name);
}

