import type { Span } from '../diag/span.js';
import type { Node } from '../ir/node.js';

/**
 * What an expression evaluates to during elaboration. Constants stay numbers until they meet a
 * tensor (then they become scalar `const` nodes of that tensor's dtype); `poison` stands for a value
 * whose expression already produced an error, so one mistake is reported once.
 */
export type Value =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  | { readonly kind: 'tensor'; readonly node: Node }
  | { readonly kind: 'poison' };

export const POISON: Value = { kind: 'poison' };

export const num = (value: number): Value => ({ kind: 'num', value });
export const bool = (value: boolean): Value => ({ kind: 'bool', value });
export const tensor = (node: Node): Value => ({ kind: 'tensor', node });

/** True when a value is or contains poison: an error has been reported for it already. */
export function isPoisoned(v: Value): boolean {
  return v.kind === 'poison' || (v.kind === 'list' && v.items.some(isPoisoned));
}

/** A constant as it is written in the source, or undefined for tensors and poison. */
function literal(v: Value): string | undefined {
  switch (v.kind) {
    case 'num':
    case 'bool':
      return String(v.value);
    case 'str':
      return JSON.stringify(v.value);
    case 'list': {
      const items = v.items.map(literal);
      return items.every((i) => i !== undefined) ? `[${items.join(', ')}]` : undefined;
    }
    default:
      return undefined;
  }
}

export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'num':
      return `the number ${v.value}`;
    case 'bool':
      return `the boolean ${v.value}`;
    case 'str':
      return `the string ${JSON.stringify(v.value)}`;
    case 'list': {
      const text = literal(v);
      if (text !== undefined) return `the list ${text}`;
      return `a list containing ${describeValue(v.items.find((i) => literal(i) === undefined)!)}`;
    }
    case 'tensor':
      return 'a tensor';
    case 'poison':
      return 'an invalid value';
  }
}

interface Binding {
  value: Value;
  readonly span?: Span;
  /** Set when an expression reads the binding: unused parameters are reported. */
  used: boolean;
  readonly isParam: boolean;
}

/**
 * Lexical scopes of one layer instance. Assignment rebinds the nearest existing binding of the name
 * (so `h = layer(h)` inside a `for` loop carries `h` across iterations) or defines it in the
 * innermost scope.
 */
export class Env {
  private readonly vars = new Map<string, Binding>();

  constructor(private readonly parent?: Env) {}

  child(): Env {
    return new Env(this);
  }

  lookup(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  define(name: string, value: Value, span: Span | undefined, isParam = false): void {
    this.vars.set(name, { value, span, used: false, isParam });
  }

  assign(name: string, value: Value, span: Span | undefined): void {
    const b = this.lookup(name);
    if (b && !b.isParam) b.value = value;
    else this.define(name, value, span);
  }

  names(): string[] {
    return [...this.vars.keys(), ...(this.parent?.names() ?? [])];
  }

  unusedParams(): { name: string; span?: Span }[] {
    return [...this.vars.entries()].filter(([, b]) => b.isParam && !b.used).map(([name, b]) => ({ name, span: b.span }));
  }
}
