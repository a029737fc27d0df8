import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { Command } from 'commander';
import { diagnosticError } from '../diag/diagnostics.js';
import { GiB } from '../io/bytes.js';
import { InputFileError, readInput, type InputKind } from '../io/readInput.js';
import { checkFolderDestination, writeFolderAtomic } from '../io/output.js';
import { importOnnx } from '../onnx/import.js';
import { SUPPORTED_OPS } from '../onnx/opTable.js';
import { UnknownAxisError } from '../onnx/translate.js';

/** Protocol buffers cannot exceed 2 GiB; larger models keep their weights in external data files. */
const ONNX_MODEL: InputKind = { what: 'ONNX models (larger ones keep weights in external data files)', maxBytes: 2 * GiB };
const EXTERNAL_DATA: InputKind = { what: 'ONNX external data files', maxBytes: 4 * GiB };

function read(file: string, kind: InputKind): Buffer {
  try {
    return readInput(file, kind);
  } catch (e) {
    if (e instanceof InputFileError) throw diagnosticError(e.code, { detail: e.message });
    throw e;
  }
}

function collectDim(value: string, prev: Map<string, number>, fail: (msg: string) => never): Map<string, number> {
  const sizes = new Map(prev);
  for (const part of value.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m || !(Number(m[2]) > 0)) fail(`--dim expects NAME=SIZE with a positive integer size, got '${part}'`);
    if (sizes.has(m[1]!)) fail(`--dim gives ${m[1]} twice`);
    sizes.set(m[1]!, Number(m[2]));
  }
  return sizes;
}

/** Registers `bertc import MODEL.onnx --out DIR` (docs/onnx.md). */
export function registerImport(program: Command, io: { out(text: string): void; err(text: string): void }): void {
  const cmd: Command = program.command('import');
  cmd
    .description(
      'import an ONNX model (a Hugging Face BERT export, opsets 14 to 20): writes DIR/model.ir, the graph as IR text with its dynamic axes as config constants that run takes from the inputs, and DIR/weights.safetensors, its initializers by their ONNX names; every other command then works on DIR/model.ir',
    )
    .argument('<model.onnx>', 'ONNX model file (external data files are read beside it)')
    .requiredOption('--out <dir>', 'output folder, created in an existing folder, or replaced whole if bertc wrote it; on failure it is left as it was')
    .option('--dim <name=size>', "default size of a dynamic axis in model.ir's config (default 8 each); repeatable or comma-separated (batch=1,seq=128)", (v: string, prev: Map<string, number>) => collectDim(v, prev, (msg): never => cmd.error(`bertc: ${msg}`, { exitCode: 2 })), new Map<string, number>())
    .addHelpText('after', `\nSupported operators: ${SUPPORTED_OPS.join(', ')}.\nAn operator or attribute form outside these is error E0031, naming the node, its op type and opset.\n\nExample:\n  bertc import bert.onnx --out bert-ir\n  bertc run bert-ir/model.ir --weights bert-ir/weights.safetensors --inputs in.safetensors --output out.safetensors\n`)
    .action((file: string, o: { out: string; dim: Map<string, number> }) => {
      checkFolderDestination(o.out);
      const bytes = read(file, ONNX_MODEL);
      const folder = dirname(file);
      const readExternal = (location: string, offset: number, length: number | undefined) => {
        const rel = normalize(location);
        if (isAbsolute(rel) || rel.startsWith('..')) throw diagnosticError('E0030', { file, detail: `external data location '${location}' is not inside the model's folder` });
        const data = read(join(folder, rel), EXTERNAL_DATA);
        const end = length === undefined ? data.length : offset + length;
        if (end > data.length) throw diagnosticError('E0030', { file, detail: `external data '${location}' has ${data.length} bytes, the model reads up to byte ${end}` });
        return new Uint8Array(data.buffer, data.byteOffset + offset, end - offset);
      };
      let r: ReturnType<typeof importOnnx>;
      try {
        r = importOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { file, sizes: o.dim, readExternal, irName: join(o.out, 'model.ir') });
      } catch (e) {
        if (e instanceof UnknownAxisError) cmd.error(`bertc: ${e.message}`, { exitCode: 2 });
        throw e;
      }
      writeFolderAtomic(o.out, { 'model.ir': r.text, 'weights.safetensors': r.weights });
      const t = r.translation;
      const axes = t.axes.map((a) => `${a.name} (${a.from}, default ${a.size})`).join(', ') || 'none';
      io.err(
        `imported ${file} (opset ${r.opset}): ${t.graph.body.length} IR nodes, ${t.weights.size} weights, ` +
          `${t.fused.layernorms} decomposed layernorms and ${t.fused.gelus} GELUs recognised; dynamic axes: ${axes}\n` +
          `wrote ${join(o.out, 'model.ir')} and ${join(o.out, 'weights.safetensors')}\n`,
      );
    });
}
