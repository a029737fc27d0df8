/**
 * The messages between the page and its compile worker. Everything is structured-cloneable; byte
 * buffers travel as transferred ArrayBuffers.
 */
import type { Manifest } from '../../targets/wgsl/runtime.js';

/** The options of one compile, as the page's controls hold them (the CLI's flags, by name). */
export interface CompileOptions {
  /** The editor's text, and the name diagnostics give it. */
  readonly text: string;
  readonly file: string;
  /** A config of the file; undefined for a file without configs. */
  readonly config: string | undefined;
  /** `--set` as typed: `B=2, S=16`. */
  readonly sets: string;
  /** `-O0`..`-O2` as 'O0'..'O2', or an explicit `--passes` pipeline. */
  readonly pipeline: string;
  /** `--precision`: f32, bf16, f16, optionally with `{low=.. f32=..}`. */
  readonly precision: string;
  /** A preset's name, or the text of an accelerator description (JSON). */
  readonly accel: { readonly preset: string } | { readonly file: string; readonly json: string };
}

/** A diagnostic placed in the editor: 1-based lines and columns, the end exclusive. */
export interface PlacedDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly at?: { readonly line: number; readonly col: number; readonly endLine: number; readonly endCol: number };
}

/** Generated line (1-based) -> the IR line it came from, for each generated file that has a source map. */
export type LineMaps = Record<string, (number | null)[]>;

export interface Compiled {
  readonly configs: string[];
  /** The config compiled (the file's first when none was chosen). */
  readonly config: string | undefined;
  readonly plan: string;
  readonly fusion: string;
  readonly summary: string;
  readonly reportHtml: string;
  readonly wgsl: Record<string, string>;
  readonly c: Record<string, string>;
  readonly lines: LineMaps;
  /** Milliseconds per stage, for the status line. */
  readonly timings: Record<string, number>;
}

/** What the page needs to run a compiled model on its WebGPU device. */
export interface Runnable {
  readonly manifest: Manifest;
  readonly shaders: Record<string, string>;
  /** A safetensors file of the weights as the shaders read them (the dropped one, or one converted or made up). */
  readonly weights: ArrayBuffer;
  /** By input name, as runtime.js takes them. */
  readonly inputs: Record<string, Float32Array | Int32Array | Uint16Array>;
  /** Each model result -> the output buffer's `source` it is read from. */
  readonly results: Record<string, string>;
  /** Each result's whole-batch shape and dtype. */
  readonly outputs: Record<string, { readonly shape: number[]; readonly dtype: string }>;
  /** Each dispatch's kernel -> its predicted time on the chosen accelerator (`accel`), in seconds. */
  readonly predicted: Record<string, number>;
  readonly accel: string;
  readonly sizes: Record<string, number>;
  /** What was made up because no file was dropped: 'weights', 'inputs'. */
  readonly random: string[];
}

export type Request =
  | { readonly kind: 'compile'; readonly id: number; readonly options: CompileOptions }
  | { readonly kind: 'prepare-run'; readonly id: number; readonly options: CompileOptions; readonly weights: DroppedFile | undefined; readonly inputs: DroppedFile | undefined };

/** A file the user gave the page: its name (for messages) and its bytes. */
export interface DroppedFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type Reply =
  | { readonly kind: 'progress'; readonly id: number; readonly stage: string }
  | { readonly kind: 'compiled'; readonly id: number; readonly diagnostics: PlacedDiagnostic[]; readonly rendered: string; readonly result: Compiled }
  | { readonly kind: 'runnable'; readonly id: number; readonly diagnostics: PlacedDiagnostic[]; readonly rendered: string; readonly result: Runnable }
  /** Bad input or options: diagnostics to show, nothing compiled. */
  | { readonly kind: 'failed'; readonly id: number; readonly diagnostics: PlacedDiagnostic[]; readonly rendered: string; readonly configs: string[] }
  /** A bug in bertc or the page. */
  | { readonly kind: 'crashed'; readonly id: number; readonly message: string };
