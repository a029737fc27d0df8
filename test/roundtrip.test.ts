import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { objectiveProgram } from '../src/core/grad.js';
import { build, loadText, Session } from '../src/driver.js';
import type { Graph } from '../src/ir/graph.js';
import { canonicalForm, printGraph } from '../src/ir/printer.js';
import { randomProgram } from './support/randomProgram.js';

function graphOf(text: string, file: string, config?: string, sets?: Map<string, number>): Graph {
  const s = new Session();
  return build(s, loadText(s, file, text), { config, sets }).graph;
}

/** Print, parse the printout, and compare structure; the second printout must equal the first. */
function expectRoundTrip(g: Graph): void {
  const printed = printGraph(g);
  const again = graphOf(printed, 'printed.ir');
  expect(canonicalForm(again)).toBe(canonicalForm(g));
  expect(printGraph(again)).toBe(printed);
}

describe('printer round trip', () => {
  const bert = readFileSync(new URL('../models/bert.ir', import.meta.url), 'utf8');

  it.each([
    ['tiny', new Map()],
    ['tiny', new Map([['B', 1], ['S', 7]])],
    ['base', new Map([['L', 2]])],
  ])('models/bert.ir --config %s %o parses back to the same graph', (config, sets) => {
    expectRoundTrip(graphOf(bert, 'models/bert.ir', config, sets as Map<string, number>));
  });

  it('keeps dropout identities, taps and parameter names', () => {
    const g = graphOf(bert, 'models/bert.ir', 'tiny');
    const again = graphOf(printGraph(g), 'printed.ir');
    expect(again.taps.map((t) => t.name)).toEqual(['hidden_states.0', 'hidden_states.1', 'hidden_states.2']);
    const ids = (x: Graph) => canonicalForm(x).match(/dropout\([^)]*\) \{id=\d+/g);
    expect(ids(again)).toEqual(ids(g));
  });

  it('holds for a training step, whose inputs and outputs are named loss.R, adamw.<scalar>, grad.<weight> and <weight> (spelled id: type = "name")', () => {
    const s = new Session();
    const built = build(s, loadText(s, 'models/bert.ir', bert), { config: 'tiny', sets: new Map([['L', 1]]), loss: 'probe' });
    const g = objectiveProgram(built, { kind: 'step', loss: 'probe', clip: false, lossScale: true });
    const printed = printGraph(g);
    const again = graphOf(printed, 'printed.ir');
    // Autodiff builds the body out of declaration order, so compare in the graph's own (live) order.
    expect(canonicalForm(again, 'live')).toBe(canonicalForm(g, 'live'));
    expect(printGraph(again)).toBe(printed);
    expect(again.inputs.map((n) => n.attr<string>('name'))).toEqual(g.inputs.map((n) => n.attr<string>('name')));
    expect(again.outputs.map((o) => o.name)).toEqual(g.outputs.map((o) => o.name));
    expect(g.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['loss', 'embeddings.word_embeddings.weight', 'adamw.m.embeddings.word_embeddings.weight', 'adamw.loss_scale']));
  });

  it('holds for 300 random programs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        expectRoundTrip(graphOf(randomProgram(seed).text, `random-${seed}.ir`));
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });
});
