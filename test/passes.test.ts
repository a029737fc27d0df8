import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { fileCheck, parseChecks } from './support/filecheck.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Text-in, text-out pass tests: each test/passes/*.ir file starts with
 * `// RUN: bertc opt %s ARGS` and holds cases separated by `// -----`; each case is run through
 * `bertc opt` on its own and its output checked against the case's CHECK lines.
 */

const dir = join(import.meta.dirname, 'passes');
const tmp = mkdtempSync(join(tmpdir(), 'bertc-passes-'));

function runLine(text: string): string[] {
  const m = /^\/\/ RUN: bertc (.*)$/m.exec(text);
  if (!m) throw new Error('missing // RUN: bertc ... line');
  return m[1]!.match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'(.*)'$/, '$1'));
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.ir')).sort()) {
  const text = readFileSync(join(dir, file), 'utf8');
  const args = runLine(text);
  const cases = text.split(/^\/\/ -----[ \t]*$/m);
  describe(file, () => {
    let firstLine = 1;
    cases.forEach((body, i) => {
      const start = firstLine;
      firstLine += body.split('\n').length - 1;
      const title = /^\/\/ (?!RUN|CHECK)(.+)$/m.exec(body)?.[1] ?? `case ${i + 1}`;
      it(`${title}`, async () => {
        // Blank lines keep line numbers in diagnostics equal to the file's.
        const path = join(tmp, `${file}.${i}.ir`);
        writeFileSync(path, '\n'.repeat(start - 1) + body);
        let out = '';
        let err = '';
        const code = await main(args.map((a) => (a === '%s' ? path : a)), { out: (t) => (out += t), err: (t) => (err += t) });
        expect(err.replace(/^.*warning.*$/gm, '').trim() === '' || code === 0, err).toBe(true);
        expect(code, err).toBe(0);
        expect(fileCheck(out, parseChecks(body, start)), out).toEqual([]);
      });
    });
  });
}
