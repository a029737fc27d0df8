/** Outputs are written atomically: a reader sees the old file or folder or the new one, never a mix. */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../src/diag/diagnostics.js';
import { writeFileAtomic, writeFolderAtomic } from '../src/io/output.js';

const tmpRoot = fs.mkdtempSync(path.join(tmpdir(), 'bertc-output-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return (e as DiagnosticError).diagnostics[0]!.message;
  }
  throw new Error('expected a failure');
}

describe('writeFileAtomic', () => {
  it('writes and replaces a file, leaving no temporary behind', () => {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'ok-'));
    const file = path.join(dir, 'w.safetensors');
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    writeFileAtomic(file, 'second');
    expect(fs.readdirSync(dir)).toEqual(['w.safetensors']);
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
  });

  it('leaves nothing behind when the destination cannot be written', () => {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'fail-'));
    const target = path.join(dir, 'w.safetensors');
    fs.mkdirSync(target);
    expect(messageOf(() => writeFileAtomic(target, 'x'))).toBe(`cannot write the file ${target}: it is a folder`);
    expect(fs.readdirSync(dir)).toEqual(['w.safetensors']);
    expect(fs.readdirSync(target)).toEqual([]);
    const nested = path.join(dir, 'missing', 'w.safetensors');
    expect(messageOf(() => writeFileAtomic(nested, 'x'))).toBe(`cannot write the file ${nested}: the folder ${path.dirname(nested)} does not exist`);
    expect(fs.existsSync(path.dirname(nested))).toBe(false);
  });
});

describe('writeFolderAtomic', () => {
  it('creates a folder, then replaces it whole, marking it as bertc output', () => {
    const out = path.join(tmpRoot, 'gen');
    expect(writeFolderAtomic(out, { 'a.c': 'one', 'b.h': 'two' })).toEqual(['a.c', 'b.h']);
    writeFolderAtomic(out, { 'c.wgsl': 'three' });
    expect(fs.readdirSync(out).sort()).toEqual(['.bertc-output', 'c.wgsl']);
    expect(fs.readdirSync(tmpRoot).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses a folder that holds files bertc did not write, and leaves it as it was', () => {
    const mine = path.join(tmpRoot, 'mine');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'thesis.tex'), 'precious');
    expect(messageOf(() => writeFolderAtomic(mine, { 'a.c': 'x' }))).toMatch(/will not replace .*mine: it holds files bertc did not write \(thesis\.tex\)/);
    expect(fs.readdirSync(mine)).toEqual(['thesis.tex']);
  });
});
