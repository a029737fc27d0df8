/**
 * A dimension as an ONNX graph computes it: a polynomial with integer coefficients over the
 * model's dynamic axes (`batch * seq * 2`, `seq + 1`). Shape subgraphs (Shape, Gather, Mul, Concat)
 * are folded over these, so a reshape's target stays `[batch, seq, 2, 64]` whatever the sizes, and
 * the printed IR names the axes as config constants that `bertc run` takes from the inputs.
 */
export class Dim {
  /** Monomial (sorted symbol names joined by '*', '' for the constant term) -> nonzero coefficient. */
  private constructor(readonly terms: ReadonlyMap<string, number>) {}

  static of(n: number): Dim {
    return new Dim(n === 0 ? new Map() : new Map([['', n]]));
  }

  static sym(name: string): Dim {
    return new Dim(new Map([[name, 1]]));
  }

  private static from(entries: Iterable<[string, number]>): Dim {
    const m = new Map<string, number>();
    for (const [k, v] of entries) {
      const s = (m.get(k) ?? 0) + v;
      if (s === 0) m.delete(k);
      else m.set(k, s);
    }
    return new Dim(new Map([...m].sort(([a], [b]) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0))));
  }

  /** The value when no dynamic axis appears in it. */
  get constant(): number | undefined {
    if (this.terms.size === 0) return 0;
    return this.terms.size === 1 && this.terms.has('') ? this.terms.get('')! : undefined;
  }

  get symbols(): string[] {
    return [...new Set([...this.terms.keys()].flatMap((k) => (k ? k.split('*') : [])))].sort();
  }

  add(o: Dim): Dim {
    return Dim.from([...this.terms, ...o.terms]);
  }

  sub(o: Dim): Dim {
    return Dim.from([...this.terms, ...[...o.terms].map(([k, v]): [string, number] => [k, -v])]);
  }

  mul(o: Dim): Dim {
    const out: [string, number][] = [];
    for (const [a, x] of this.terms) for (const [b, y] of o.terms) out.push([[...a.split('*'), ...b.split('*')].filter(Boolean).sort().join('*'), x * y]);
    return Dim.from(out);
  }

  /** this / o when it divides exactly (o a constant or one monomial); undefined otherwise. */
  div(o: Dim): Dim | undefined {
    if (o.terms.size !== 1) return undefined;
    const [[mono, c]] = [...o.terms] as [[string, number]];
    const divisor = mono ? mono.split('*') : [];
    const out: [string, number][] = [];
    for (const [k, v] of this.terms) {
      const syms = k ? k.split('*') : [];
      for (const d of divisor) {
        const at = syms.indexOf(d);
        if (at < 0) return undefined;
        syms.splice(at, 1);
      }
      if (v % c !== 0) return undefined;
      out.push([syms.join('*'), v / c]);
    }
    return Dim.from(out);
  }

  equals(o: Dim): boolean {
    return this.key === o.key;
  }

  /** True when the value cannot be negative for any positive sizes. */
  get nonNegative(): boolean {
    return [...this.terms.values()].every((v) => v > 0);
  }

  get key(): string {
    return [...this.terms].map(([k, v]) => `${v}${k ? `*${k}` : ''}`).join('+');
  }

  evaluate(sizes: ReadonlyMap<string, number>): number {
    let total = 0;
    for (const [k, v] of this.terms) {
      let p = v;
      for (const s of k ? k.split('*') : []) {
        const x = sizes.get(s);
        if (x === undefined) throw new Error(`internal: no size for dynamic axis '${s}'`);
        p *= x;
      }
      total += p;
    }
    return total;
  }

  /** The dimension in the IR's constant-expression syntax. */
  toString(): string {
    if (this.terms.size === 0) return '0';
    let out = '';
    for (const [k, v] of this.terms) {
      const mag = Math.abs(v);
      const body = k ? (mag === 1 ? k.split('*').join(' * ') : `${mag} * ${k.split('*').join(' * ')}`) : String(mag);
      out += out ? (v < 0 ? ` - ${body}` : ` + ${body}`) : v < 0 ? `-${body}` : body;
    }
    return out;
  }
}

export type Dims = readonly Dim[];

export function dimsKey(d: Dims): string {
  return d.map((x) => x.key).join(',');
}

export function dimsEqual(a: Dims, b: Dims): boolean {
  return a.length === b.length && a.every((d, i) => d.equals(b[i]!));
}

export function formatDims(d: Dims): string {
  return `[${d.map(String).join(', ')}]`;
}

export function product(d: Dims): Dim {
  return d.reduce((p, x) => p.mul(x), Dim.of(1));
}

/** Numpy broadcasting over symbolic dimensions; undefined when two differ and neither is 1. */
export function broadcastDims(a: Dims, b: Dims): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? Dim.of(1);
    const y = b[b.length - rank + i] ?? Dim.of(1);
    if (x.constant === 1) out.push(y);
    else if (y.constant === 1 || x.equals(y)) out.push(x);
    else return undefined;
  }
  return out;
}
