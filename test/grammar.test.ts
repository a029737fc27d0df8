import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const committed = join(root, 'src/frontend/generated');

describe('the committed parser', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'bertc-grammar-test-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what antlr-ng generates from grammar/BertIR.g4 (run `npm run grammar` after editing the grammar)', () => {
    execFileSync(process.execPath, [join(root, 'scripts/generate-grammar.mjs'), fresh], { stdio: 'pipe' });
    const files = readdirSync(fresh).sort();
    expect(files).toEqual(readdirSync(committed).sort());
    for (const f of files) {
      expect(readFileSync(join(committed, f), 'utf8'), `${f} is stale`).toBe(readFileSync(join(fresh, f), 'utf8'));
    }
  });
});
