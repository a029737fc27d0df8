import { encodeSafetensors } from '../io/safetensorsFormat.js';
import { canonicalForm, printGraph } from '../ir/printer.js';
import { formatType } from '../ir/types.js';
import type { Node } from '../ir/node.js';
import { verifyGraph } from '../ir/verify.js';
import { build, loadText, Session } from '../core/session.js';
import { decodeModel, type ExternalReader } from './decode.js';
import { formatDims } from './sym.js';
import { translateModel, type DynamicAxis, type TranslateOptions, type Translation } from './translate.js';

export interface ImportOptions {
  /** The model's path as diagnostics and the header name it. */
  readonly file: string;
  /** Sizes of the dynamic axes to build at and to print as the config's defaults. */
  readonly sizes?: ReadonlyMap<string, number>;
  readonly readExternal?: ExternalReader;
  /** Graph inputs fixed to these values at import (TranslateOptions.fixedInputs). */
  readonly fixedInputs?: TranslateOptions['fixedInputs'];
  /** The name model.ir is written under, for the round-trip check's diagnostics. */
  readonly irName?: string;
}

export interface Imported {
  /** model.ir: IR source whose model is the imported graph, dynamic axes as config constants. */
  readonly text: string;
  /** weights.safetensors. */
  readonly weights: Uint8Array;
  readonly translation: Translation;
  readonly opset: number;
}

export const CONFIG_NAME = 'onnx';

function configText(axes: readonly DynamicAxis[]): string {
  if (axes.length === 0) return '';
  const lines = [
    '// Dynamic axes: config constants that `bertc run` takes from the inputs (--set changes them elsewhere).',
    ...axes.map((a) => `//   ${a.name}: ${a.from}`),
    `config ${CONFIG_NAME} { ${axes.map((a) => `${a.name} = ${a.size}`).join(', ')} }`,
    '',
    '',
  ];
  return lines.join('\n');
}

/** The graph as IR text: types and shape attributes over the dynamic axes. */
export function printImported(t: Translation, header: string): string {
  const spell = {
    type: (n: Node) => {
      const d = t.dims.get(n);
      return d ? `${n.type.dtype}${formatDims(d)}` : undefined;
    },
    attr: (n: Node, name: string) => t.attrText.get(n)?.get(name),
  };
  return `${header.split('\n').map((l) => `// ${l}`).join('\n')}\n${configText(t.axes)}${printGraph(t.graph, { spell, reserved: t.axes.map((a) => a.name) })}`;
}

/**
 * Imports an ONNX model: decodes it, translates it into an IR graph at the given sizes, prints
 * the graph as IR text and checks that the text elaborates back to the same graph.
 */
export function importOnnx(bytes: Uint8Array, opts: ImportOptions): Imported {
  const model = decodeModel(bytes, opts.file, opts.readExternal);
  const t = translateModel(model, { file: opts.file, sizes: opts.sizes, fixedInputs: opts.fixedInputs });
  verifyGraph(t.graph, 'onnx import');
  const base = opts.file.replace(/^.*[\\/]/, '');
  const header = `Imported from ${base} (ONNX IR version ${model.irVersion}, opset ${model.opset}) by bertc import.\nWeights (weights.safetensors) are bound by their ONNX initializer names.`;
  const text = printImported(t, header);
  checkRoundTrip(text, t, opts.irName ?? 'model.ir');
  return { text, weights: encodeSafetensors(t.weights), translation: t, opset: model.opset };
}

/** The printed text, elaborated at the sizes it was imported at, must give the same graph: anything else is a bug of the importer or the printer. */
function checkRoundTrip(text: string, t: Translation, file: string): void {
  const s = new Session();
  const e = build(s, loadText(s, file, text), t.axes.length ? { config: CONFIG_NAME } : {});
  const want = canonicalForm(t.graph);
  const got = canonicalForm(e.graph);
  if (want !== got) {
    const a = want.split('\n');
    const b = got.split('\n');
    const at = a.findIndex((l, i) => l !== b[i]);
    throw new Error(`internal: the imported graph printed as IR does not parse back to itself; first difference at node ${at}: '${a[at]}' against '${b[at]}'`);
  }
  for (const n of t.graph.inputs) if (!e.graph.inputs.some((m) => m.attr('name') === n.attr('name') && formatType(m.type) === formatType(n.type))) throw new Error(`internal: input '${n.attr('name')}' lost in printing`);
}
