/**
 * The dependencies docs/architecture.md says must never exist, checked on the import statements
 * of the sources: a module that gains one fails here, naming the import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each import of a module: a repository path for relative ones, the package name otherwise. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]!);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts') : s));
}

const FILES = ['src', 'passes', 'targets'].flatMap(sources);

function violations(from: (file: string) => boolean, forbidden: (spec: string) => boolean): string[] {
  return FILES.filter(from).flatMap((f) => importsOf(f).filter(forbidden).map((spec) => `${f} imports ${spec}`));
}

const under = (...dirs: string[]) => (path: string) => dirs.some((d) => path === d || path.startsWith(`${d}/`));

describe('the dependencies that must never exist', () => {
  it('the IR knows no syntax, no pass and no backend', () => {
    expect(violations(under('src/ir'), (s) => !under('src/ir', 'src/diag')(s))).toEqual([]);
  });

  it('passes know no backend and no syntax', () => {
    expect(violations(under('passes'), under('targets', 'src/frontend', 'src/cli', 'src/driver.ts'))).toEqual([]);
  });

  it('the backends are siblings: C and WGSL never import each other', () => {
    expect(violations(under('targets/c'), under('targets/wgsl'))).toEqual([]);
    expect(violations(under('targets/wgsl'), under('targets/c'))).toEqual([]);
    expect(violations(under('targets/common'), under('targets/c', 'targets/wgsl'))).toEqual([]);
  });

  it('the reference interpreter depends on nothing it checks', () => {
    expect(violations(under('src/interp'), under('passes', 'src/kernel', 'src/cost', 'targets', 'src/frontend'))).toEqual([]);
  });

  it('the compile core imports nothing from Node, directly or through what it imports', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const spec of importsOf(file)) if (spec.endsWith('.ts') && FILES.includes(spec)) visit(spec);
    };
    visit('src/core.ts');
    const nodeImports = [...reached].flatMap((f) => importsOf(f).filter((s) => s.startsWith('node:') || s === 'playwright-core').map((s) => `${f} imports ${s}`));
    expect(nodeImports).toEqual([]);
    expect(reached.size).toBeGreaterThan(40);
  });

  it('the playground page reaches the compiler only through the compile core and the WebGPU runtime', () => {
    // runtime.js is named as .ts by importsOf, like every relative import; the page shows models as text.
    const allowed = new Set(['src/core.ts', 'targets/wgsl/runtime.ts', 'models/bert.ir']);
    const repositoryFile = (s: string) => s.endsWith('.ts') || s.endsWith('.ir');
    const page = sources('playground/src');
    const outside = page.flatMap((f) => importsOf(f).filter((s) => s.startsWith('node:') || (repositoryFile(s) && !under('playground/src')(s) && !allowed.has(s))).map((s) => `${f} imports ${s}`));
    expect(outside).toEqual([]);
    expect(page.length).toBeGreaterThan(4);
  });

  it('the check itself sees the imports', () => {
    expect(importsOf('src/core/session.ts')).toContain('src/ir/verify.ts');
    expect(FILES.length).toBeGreaterThan(50);
  });
});
