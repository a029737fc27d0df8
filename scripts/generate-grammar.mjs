// Regenerates src/frontend/generated/ from grammar/BertIR.g4 with antlr-ng (no Java needed).
// The output is committed; test/grammar.test.ts fails when it is stale.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(root, 'src/frontend/generated');

function generate(target) {
  const tmp = mkdtempSync(join(tmpdir(), 'bertc-grammar-'));
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/antlr-ng/dist/cli/runner.js'), '-Dlanguage=TypeScript', '--generate-visitor', 'true',
        '--generate-listener', 'false', '-o', tmp, join(root, 'grammar/BertIR.g4')],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(tmp).filter((f) => f.endsWith('.ts')).sort()) {
      // antlr-ng writes the grammar's absolute path into a header comment; keep the output machine-independent.
      const text = readFileSync(join(tmp, f), 'utf8').replace(/^\/\/ Generated from .*$/m, '// Generated from grammar/BertIR.g4 by antlr-ng');
      writeFileSync(join(target, f), `// @ts-nocheck\n${text}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

generate(outDir);
