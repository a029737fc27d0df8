/**
 * The page's compile worker: compiling BERT-base takes long enough to freeze a page, so the core
 * runs here and the page only renders. One request at a time; the page drops replies to requests
 * it has superseded.
 */
import { SourceMapConsumer } from 'source-map';
// esbuild copies the decoder's WebAssembly beside the bundle and gives its path (build.mjs).
import mappingsWasm from 'source-map/lib/mappings.wasm';
import { compile, isFailure, placed, prepareRun, type LineDecoder } from './compile.js';
import type { Reply, Request } from './protocol.js';

declare const self: { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(message: Reply, transfer?: Transferable[]): void; location: { href: string } };

// source-map's types declare initialize on instances; the library defines it on the class.
(SourceMapConsumer as unknown as Pick<SourceMapConsumer, 'initialize'>).initialize({ 'lib/mappings.wasm': new URL(mappingsWasm, self.location.href).href });

/** SourceMapConsumer is asynchronous and the compile is not: the decoder fills its arrays when `pending` settles. */
function decoder(): { decode: LineDecoder; pending: Promise<void>[] } {
  const pending: Promise<void>[] = [];
  const decode: LineDecoder = (map) => {
    const lines: (number | null)[] = [];
    pending.push(
      SourceMapConsumer.with(map, null, (c) => {
        c.eachMapping((m) => {
          lines[m.generatedLine - 1] ??= m.originalLine;
        });
      }),
    );
    return lines;
  };
  return { decode, pending };
}

async function answer(req: Request): Promise<void> {
  const progress = (stage: string) => self.postMessage({ kind: 'progress', id: req.id, stage });
  if (req.kind === 'compile') {
    const { decode, pending } = decoder();
    const r = compile(req.options, decode, progress);
    if (isFailure(r)) return self.postMessage({ kind: 'failed', id: req.id, ...r });
    await Promise.all(pending);
    self.postMessage({ kind: 'compiled', id: req.id, diagnostics: placed(r.session.diags.sorted()), rendered: r.session.render(), result: r.result });
    return;
  }
  const r = prepareRun(req.options, req.weights, req.inputs, progress);
  if (isFailure(r)) return self.postMessage({ kind: 'failed', id: req.id, ...r });
  self.postMessage({ kind: 'runnable', id: req.id, diagnostics: placed(r.session.diags.sorted()), rendered: r.session.render(), result: r.result }, [r.result.weights]);
}

self.onmessage = (e) => {
  answer(e.data).catch((err: unknown) => self.postMessage({ kind: 'crashed', id: e.data.id, message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
};
