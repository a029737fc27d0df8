/**
 * The compile core (`bertc/core`, src/core.ts) bundles for a browser with no Node built-in, and
 * the bundle alone compiles BERT from text to kernels, a report and C and WGSL.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { bundleCore } from '../scripts/bundle-core.mjs';

const dir = mkdtempSync(join(tmpdir(), 'bertc-core-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BERT = readFileSync(new URL('../models/bert.ir', import.meta.url), 'utf8');

describe('the compile core in a browser bundle', () => {
  const outfile = join(dir, 'bertc-core.js');
  let built: { metafile: { inputs: Record<string, unknown> } };

  it('bundles for platform browser without any Node built-in', async () => {
    built = await bundleCore(outfile);
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs.some((f) => f.endsWith('src/core.ts'))).toBe(true);
    expect(inputs.filter((f) => f.startsWith('node:') || /^(fs|path|os|child_process)$/.test(f))).toEqual([]);
    expect(readFileSync(outfile, 'utf8')).not.toMatch(/from\s*["']node:|require\(["']node:/);
  }, 60_000);

  it('compiles BERT-tiny to a kernel plan, a report, C and WGSL from the bundle alone', async () => {
    const core = await import(pathToFileURL(outfile).href);
    const s = new core.Session();
    const program = core.loadText(s, 'models/bert.ir', BERT);
    const accel = core.PRESETS.get('webgpu-generic');
    const p = core.planProgram(s, program, { config: 'tiny', train: false, pipeline: core.LEVELS.O2, accel });
    expect(core.printModule(p.module)).toContain('kernel ');
    const report = core.buildReport({ file: 'models/bert.ir', config: 'tiny', sets: {}, pipeline: p.records.map((r: { step: string }) => r.step).join(','), stages: p.stages }, accel);
    expect(core.renderSummary(report)).toContain('Time by category');
    expect(Object.keys(core.generateC(p.module, { source: 'models/bert.ir', command: 'bundle test', accel }))).toContain('model.c');
    const wgsl = core.planWgsl(s, program, { config: 'tiny', train: false, pipeline: core.LEVELS.O2, accel, source: 'models/bert.ir' });
    expect(Object.keys(wgsl.files.shaders).length).toBeGreaterThan(5);
  }, 60_000);

  it('reports a mistake in the text as a diagnostic with its location', async () => {
    const core = await import(pathToFileURL(outfile).href);
    const s = new core.Session();
    const program = core.loadText(s, 'bad.ir', 'model m(x: f32[2]) -> f32[2] {\n  return relu(y);\n}\n');
    expect(() => core.build(s, program, {})).toThrow(core.CompileError);
    expect(s.render()).toMatch(/bad\.ir:2:15: error\[E0002\]: unknown name 'y'/);
  }, 60_000);
});
