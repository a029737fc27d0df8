import { SourceMapGenerator } from 'source-map';
import type { Accelerator } from '../../src/accel/accelerator.js';
import type { Node } from '../../src/ir/node.js';
import { isOptimizerInput, stateUpdates, stepResults } from '../../src/ir/adamw.js';
import { formatShape, numel, shapeEquals } from '../../src/ir/shape.js';
import { isElementwise, isMatmul } from '../../src/kernel/classify.js';
import { buildKernels, type Kernel } from '../../src/kernel/kernels.js';
import type { Module } from '../../src/kernel/module.js';
import { dropoutOps, kernelClasses, kernelParams, type KernelClass } from '../../src/kernel/signature.js';
import { resultCopies, resultCopyValue } from '../common/elementValues.js';
import { planMemory, type MemoryPlan } from '../common/memoryPlan.js';
import { checkTarget } from '../common/unsupported.js';
import { C_DTYPES, CLikeRenderer, cHelperSource } from '../common/renderer.js';
import { callPackedOperand, checkGemms, gemmTasks, kernelFunction, packedBFloats, packedOperand, SGEMM_DTYPE, type KernelFunction, type PackedOperand } from './kernelCode.js';
import type { Line } from '../common/writer.js';

/** The files of a compiled model, by name. */
export interface CFiles {
  readonly 'model.c': string;
  readonly 'model.h': string;
  readonly 'model.c.map': string;
  readonly 'main.c': string;
  readonly Makefile: string;
}

export interface COptions {
  /** The IR file, as named in source maps and comments. */
  readonly source: string;
  /** How the model was compiled, for the header comment. */
  readonly command: string;
  readonly accel: Accelerator;
}

const cName = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

/** A tensor's bytes as C stores its dtype. */
const bytesOf = (n: Node): number => numel(n.type.shape) * C_DTYPES[n.type.dtype].bytes;

interface Layout {
  readonly kernels: readonly Kernel[];
  readonly init: readonly Kernel[];
  readonly run: readonly Kernel[];
  readonly plan: MemoryPlan;
  readonly params: readonly Node[];
  /** Model results that a kernel writes: written straight into the caller's buffer. */
  readonly direct: ReadonlySet<Node>;
}

function layoutOf(m: Module): Layout {
  const kernels = buildKernels(m);
  const run = kernels.filter((k) => !k.init);
  // A result computed once at load (from weights and constants only) is copied out on every run.
  const produced = new Set(run.flatMap((k) => k.outputs));
  const direct = new Set(m.graph.outputs.map((o) => o.node).filter((n) => produced.has(n)));
  // Weights that kernels read, and those a result copies (a weight, or a view of one).
  const copied = resultCopies(m.graph.outputs.map((o) => o.node), direct, m.partition.views).flatMap((c) => (c.buffer ? [c.buffer] : []));
  const params = [...new Set([...kernels.flatMap((k) => k.inputs), ...copied].filter((n) => n.op === 'param'))].sort((a, b) => a.id - b.id);
  // What result copies read must live to the end of the run, when they are copied.
  return { kernels, init: kernels.filter((k) => k.init), run, plan: planMemory(run, bytesOf, direct, new Set(copied)), params, direct };
}

/**
 * The generated model's memory in bytes: activation arena (planned, and without reuse), weights,
 * the copies of weights packed at load, and the buffer that GEMMs pack their B into per call.
 */
export function memoryOf(m: Module, accel: Accelerator): { arena_bytes: number; unplanned_arena_bytes: number; weight_bytes: number; packed_weight_bytes: number; call_pack_bytes: number } {
  const L = layoutOf(m);
  const { packs, perCall } = packedWeights(m, L, accel);
  const packed = packs.reduce((s, p) => s + 4 * packedBFloats(p.K, p.N, p.nr), 0);
  return { arena_bytes: L.plan.bytes, unplanned_arena_bytes: L.plan.unplannedBytes, weight_bytes: L.params.reduce((s, p) => s + bytesOf(p), 0), packed_weight_bytes: packed, call_pack_bytes: 4 * callPackFloats(perCall) };
}

/** Floats of m->gemm_packed: the largest B that a GEMM packs per call. */
function callPackFloats(perCall: ReadonlyMap<Kernel, CallPack>): number {
  return Math.max(0, ...[...perCall.values()].map((p) => packedBFloats(p.K, p.N, p.nr)));
}

type NamedPack = PackedOperand & { readonly name: string };
type CallPack = NonNullable<ReturnType<typeof callPackedOperand>>;

/**
 * The GEMM operands packed once at load (packedOperand): weights and weight transforms' results,
 * in a model no step updates, for the run's kernels whose whole class can take its B so (a class
 * shares one function). `packedOf` gives each such kernel's, `packs` each distinct one once with
 * the name of its field in the model (`pk0`, ..).
 */
function packedWeights(m: Module, L: Layout, accel: Accelerator): { packedOf: ReadonlyMap<Kernel, NamedPack>; packs: readonly NamedPack[]; perCall: ReadonlyMap<Kernel, CallPack> } {
  const initOutputs = new Set(L.init.flatMap((k) => k.outputs));
  const fixed = (n: Node) => stateUpdates(m.graph).size === 0 && (n.op === 'param' || initOutputs.has(n));
  const env = { r: new CLikeRenderer(), views: m.partition.views, train: m.train, accel, schedules: m.schedules };
  const operands = new Map<Kernel, PackedOperand>();
  const perCall = new Map<Kernel, CallPack>();
  for (const c of kernelClasses(L.kernels.filter((k) => !k.segments), m).classes) {
    const ps = c.instances.map((k) => (k.init ? undefined : packedOperand(k, env, fixed)));
    if (ps.every((p) => p)) {
      c.instances.forEach((k, i) => operands.set(k, ps[i]!));
      continue;
    }
    const calls = c.instances.map((k) => callPackedOperand(k, env));
    if (calls.every((p) => p)) c.instances.forEach((k, i) => perCall.set(k, calls[i]!));
  }
  // Named in the order the run first multiplies them.
  const names = new Map<string, NamedPack>();
  const packedOf = new Map<Kernel, NamedPack>();
  for (const k of L.run) {
    const p = operands.get(k);
    if (!p) continue;
    if (!names.has(p.key)) names.set(p.key, { ...p, name: `pk${names.size}` });
    packedOf.set(k, names.get(p.key)!);
  }
  return { packedOf, packs: [...names.values()], perCall };
}

/** Generates model.c, model.h, a harness, a Makefile and the source map for a tiled module. */
export function generateC(m: Module, opts: COptions): CFiles {
  checkTarget(m, 'c');
  checkGemms(m);
  const r = new CLikeRenderer();
  const L = layoutOf(m);
  const updates = updatedWeights(m, L);
  const nextValues = stateUpdates(m.graph);
  const next = new Map(updates.map((p) => [p, nextValues.get(p.attr<string>('name'))!.node]));
  const inPlace = updatesInPlace(L, next);
  // Buffers that a kernel reads and, through another parameter, writes in place (a weight and its
  // next value): those parameters are not `restrict`.
  const aliased = new Set(inPlace ? [...next].flat() : []);
  const outputs = m.graph.outputs;
  const initOutputs = new Set(L.init.flatMap((k) => k.outputs));
  /** Where a buffer lives, at a call site in init or run. */
  const home = (n: Node): string => {
    if (n.op === 'param') return `m->w${n.id}`;
    if (n.op === 'input') return `in_${cName(n.attr<string>('name'))}`;
    if (initOutputs.has(n)) return `m->i${n.id}`;
    const out = outputs.find((o) => o.node === n);
    if (out && L.direct.has(n)) return `out_${cName(out.name)}`;
    const off = L.plan.offsets.get(n);
    if (off === undefined) throw new Error(`internal: no memory for ${n.op} #${n.id}`);
    return `(${r.storageType(n.type.dtype)} *)(m->arena + ${off})`;
  };
  const env = { r, views: m.partition.views, train: m.train, accel: opts.accel, schedules: m.schedules };
  // One function per kernel class: the encoder layers' kernels are calls of the first layer's.
  // A multi-tensor kernel's segments are functions of their own, sharing out their loops among the
  // threads of the one parallel region the kernel opens; they are classed apart from whole kernels,
  // whose functions open their own.
  const whole = kernelClasses(L.kernels.filter((k) => !k.segments), m);
  const parts = kernelClasses(L.kernels.flatMap((k) => k.segments ?? []), m);
  const classOf = new Map([...whole.classOf, ...parts.classOf]);
  // Only a kernel that writes a next value reads and writes one buffer through two parameters.
  const writesInPlace = (k: Kernel) => k.outputs.some((o) => aliased.has(o));
  const aliasing = (c: KernelClass) => c.instances.some(writesInPlace);
  const { packedOf, packs, perCall } = packedWeights(m, L, opts.accel);
  const fns = new Map([
    ...whole.classes.map((c) => [c, kernelFunction(c.representative, env, c.instances, { inPlace: aliasing(c), packed: c.instances.every((k) => packedOf.has(k)) ? 'at load' : c.instances.every((k) => perCall.has(k)) ? 'per call' : undefined })] as const),
    ...parts.classes.map((c) => [c, kernelFunction(c.representative, env, c.instances, { shared: true, inPlace: aliasing(c) })] as const),
  ]);
  /** The parameter positions of a class's function that some instance writes in place. */
  const aliasedParams = (c: KernelClass) => new Set(c.instances.filter(writesInPlace).flatMap((k) => kernelParams(k).flatMap((n, i) => (aliased.has(n) ? [i] : []))));
  /** Kernel `k`'s class function, and what a call passes it: dropout keys, then buffers (and its packed B). */
  const argsOf = (k: Kernel) => {
    const f = fns.get(classOf.get(k)!)!;
    if (k.init && f.keys) throw new Error(`internal: weight transform ${k.name} draws dropout masks, which need the run's seed`);
    const keys = dropoutOps(k).slice(0, f.keys).map((n) => `keys[${n.attr<number>('id')}]`);
    const buffers = [...kernelParams(k).map(home), ...(f.packed ? [packedOf.has(k) ? `m->${packedOf.get(k)!.name}` : 'm->gemm_packed'] : [])];
    return { f, keys, buffers };
  };
  /**
   * The call of kernel `k`: its class's function with its keys and buffers; a function with a task
   * loop gets its tasks, all of them, or, when it is parallel, shared out by the pool through its
   * trampoline (emitTrampoline), which takes the arguments as a bertc_args.
   */
  const call = (k: Kernel): Call => {
    const { f, keys, buffers } = argsOf(k);
    const args = [...keys, ...buffers];
    const p = perCall.get(k);
    const pack = p ? `bertc_pack_b_parallel(&m->pool, ${packArgs(p, home, p.type, 'm->gemm_packed')}); ` : '';
    if (f.tasks?.parallel) return { text: `${pack}bertc_parallel(&m->pool, ${f.tasks.count}, ${f.name}_tasks, ${taskArgs(keys, buffers)})`, keys: keys.length };
    const range = f.tasks ? [`0, ${f.tasks.count}, 0`] : [];
    return { text: `${pack}${f.name}(${['m', '&status', ...args, ...range].join(', ')})`, keys: keys.length };
  };
  /** A multi-tensor kernel: one job of the pool holding every segment's tasks, one after another. */
  const segmented = (k: Kernel): { trampoline: string[]; call: Call } => {
    const parts = k.segments!.map(argsOf);
    const name = `${k.name}_segments`;
    const lines = [`static void ${name}(const void *ctx, ptrdiff_t lo_, ptrdiff_t hi_, int thread_) {`, '  const bertc_args *a = (const bertc_args *)ctx;', '  ptrdiff_t b_, e_;'];
    let start = 0, key = 0, buffer = 0;
    for (const { f, keys, buffers } of parts) {
      const count = f.tasks!.count;
      const args = [...keys.map((_, j) => `a->keys[${key + j}]`), ...unpack(f, buffer, r)];
      lines.push(`  if (bertc_clip(lo_, hi_, ${start}, ${start + count}, &b_, &e_)) ${f.name}(${['a->m', 'a->status', ...args, 'b_', 'e_', 'thread_'].join(', ')});`);
      start += count;
      key += keys.length;
      buffer += buffers.length;
    }
    lines.push('}');
    const keys = parts.flatMap((p) => p.keys);
    return { trampoline: lines, call: { text: `bertc_parallel(&m->pool, ${start}, ${name}, ${taskArgs(keys, parts.flatMap((p) => p.buffers))})`, keys: keys.length } };
  };
  const jobs = new Map(L.run.filter((k) => k.segments).map((k) => [k, segmented(k)]));

  const lines: Line[] = [];
  const put = (text = '', span?: Line['span']) => lines.push({ text, span });
  put(`/* Generated by bertc: ${opts.command}. Do not edit; see model.h for the API. */`);
  put('/* sched_getaffinity, for the cores this process may use (bertc_available_cores). */');
  put('#if defined(__linux__) && !defined(_GNU_SOURCE)');
  put('#define _GNU_SOURCE 1');
  put('#endif');
  put('#include "model.h"');
  put('#include "bertc_runtime.h"');
  put('#include <math.h>');
  put('#include <stdlib.h>');
  put('#include <string.h>');
  put();
  put('/* An index read from a tensor: out of range is reported, and the element read is row 0. */');
  put('static inline ptrdiff_t bertc_checked_index(int64_t i, ptrdiff_t n, int *status) {');
  put('  if (i < 0 || i >= n) { *status = BERTC_ERR_INDEX; return 0; }');
  put('  return (ptrdiff_t)i;');
  put('}');
  // The helpers the kernels used, callees first (cHelperSource: erf before gelu, which calls it).
  const helpers = cHelperSource([...r.used]);
  if (helpers) for (const l of helpers.split('\n')) put(l);
  put();
  put('/* Per-kernel timing, compiled in with -DBERTC_PROFILE (bertc bench uses it). */');
  put('#ifdef BERTC_PROFILE');
  put('#include <time.h>');
  put('static double bertc_now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec; }');
  put('#define BERTC_TIMED(i, call) do { double t0_ = bertc_now(); call; m->kernel_seconds[i] = bertc_now() - t0_; } while (0)');
  put('#else');
  put('#define BERTC_TIMED(i, call) call');
  put('#endif');
  put(`const int bertc_kernel_count = ${L.run.length};`);
  put(`const char *const bertc_kernel_names[${Math.max(1, L.run.length)}] = { ${L.run.map((k) => JSON.stringify(k.name)).join(', ') || '""'} };`);
  put();
  put('struct bertc_model {');
  put('  bertc_safetensors weights;');
  for (const p of L.params) put(`  const ${r.storageType(p.type.dtype)} *w${p.id}; /* ${p.attr<string>('name')} ${formatShape(p.type.shape)} */`);
  for (const n of initOutputs) put(`  ${r.storageType(n.type.dtype)} *i${n.id}; /* computed from weights at load: ${formatShape(n.type.shape)} */`);
  for (const p of updates) {
    put(inPlace
      ? `  void *own${p.id}; /* w${p.id}'s own copy of ${p.attr<string>('name')}, which bertc_step updates in place */`
      : `  ${r.storageType(p.type.dtype)} *u${p.id}; void *own${p.id}; /* bertc_step writes the next ${p.attr<string>('name')} here, then swaps it with w${p.id} */`);
  }
  for (const p of packs) put(`  float *${p.name}; /* ${p.buffer.op === 'param' ? p.buffer.attr<string>('name') : `i${p.buffer.id}`} as a ${p.K}x${p.N} GEMM operand, packed at load (kc ${p.kc}, nr ${p.nr}) */`);
  put('  unsigned char *arena;');
  put('  bertc_pool pool;');
  put(`  ${r.type(SGEMM_DTYPE)} *gemm_ws, *gemm_scratch;`);
  const callPack = callPackFloats(perCall);
  if (callPack) put('  float *gemm_packed; /* the B of the GEMM running now, packed for it by bertc_pack_b_parallel (shared by its tasks) */');
  put('  size_t gemm_ws_floats, gemm_scratch_floats;');
  put(`  double kernel_seconds[${Math.max(1, L.run.length)}];`);
  put('};');
  put();
  put('/* The arguments of a kernel run as a pool job, which its trampoline (`*_tasks`) passes on. */');
  put('typedef struct { bertc_model *m; int *status; const uint32_t *keys; const void *const *p; } bertc_args;');
  put();
  for (const [c, f] of fns) {
    emitKernel(put, c.representative, f, r, aliasedParams(c));
    if (f.tasks?.parallel) emitTrampoline(put, f, r);
  }
  for (const job of jobs.values()) {
    for (const l of job.trampoline) put(l);
    put();
  }
  emitInit(put, L, call, [...new Set([...fns.values()].flatMap((f) => (f.workspace ? [f.workspace] : [])))], r, updates, inPlace, packs, home, { scratch: scratchFloats(L, opts.accel, m.partition.views), callPack });
  emitRun(put, L, (k) => jobs.get(k)?.call ?? call(k), home, m, r);
  if (updates.length) emitStep(put, L, call, m, r, updates, inPlace);
  put('void bertc_kernel_times(const bertc_model *m, double *seconds) {');
  put('  for (int i = 0; i < bertc_kernel_count; i++) seconds[i] = m->kernel_seconds[i];');
  put('}');
  put();
  put('void bertc_free(bertc_model *m) {');
  put('  if (!m) return;');
  for (const n of initOutputs) put(`  bertc_free_aligned(m->i${n.id});`);
  for (const p of updates) put(`  bertc_free_aligned(m->own${p.id});`);
  for (const p of packs) put(`  bertc_free_aligned(m->${p.name});`);
  put('  bertc_free_aligned(m->arena);');
  put('  bertc_free_aligned(m->gemm_ws);');
  put('  bertc_free_aligned(m->gemm_scratch);');
  if (callPack) put('  bertc_free_aligned(m->gemm_packed);');
  put('  bertc_st_close(&m->weights);');
  put('  bertc_pool_stop(&m->pool);');
  put('  free(m);');
  put('}');

  const map = new SourceMapGenerator({ file: 'model.c' });
  lines.forEach((l, i) => {
    if (l.span) map.addMapping({ generated: { line: i + 1, column: 0 }, original: { line: l.span.line, column: l.span.col - 1 }, source: opts.source });
  });
  const c = `${lines.map((l) => l.text).join('\n')}\n`;
  return {
    'model.c': c,
    'model.h': header(m, L, opts, r, updates),
    'model.c.map': `${map.toString()}\n`,
    'main.c': harness(m, r, updates),
    Makefile: makefile(),
  };
}

/** A kernel's call at its site in bertc_init or bertc_run, and how many dropout keys it passes. */
interface Call {
  readonly text: string;
  readonly keys: number;
}

function signature(k: Kernel, f: KernelFunction, r: CLikeRenderer, aliased: ReadonlySet<number>): string {
  const keys = Array.from({ length: f.keys }, (_, i) => `uint32_t key${i}`);
  const buffers = f.params.map((n, i) => `${k.outputs.includes(n) ? '' : 'const '}${r.storageType(n.type.dtype)} *${aliased.has(i) ? '' : 'restrict '}b${i}`);
  const packed = f.packed ? ['const float *restrict pk'] : [];
  const range = f.tasks ? ['ptrdiff_t lo_', 'ptrdiff_t hi_', 'int thread_'] : [];
  return `static void ${f.name}(${['bertc_model *m', 'int *status', ...keys, ...buffers, ...packed, ...range].join(', ')})`;
}

function emitKernel(put: (t?: string, s?: Line['span']) => void, k: Kernel, f: KernelFunction, r: CLikeRenderer, aliased: ReadonlySet<number>): void {
  const [first, ...rest] = f.lines;
  // The header comment goes above the signature; the body follows.
  const headerLines = f.lines.filter((l) => /^\s*(\/\*| \*)/.test(l.text));
  for (const l of headerLines) put(l.text.trim().startsWith('*') ? ` ${l.text.trim()}` : l.text.trim(), l.span);
  put(`${signature(k, f, r, aliased)} {`, k.ops[0]?.meta.span);
  put(`  (void)m; (void)status;${f.tasks ? ' (void)thread_;' : ''}`);
  for (const l of [first!, ...rest]) if (!headerLines.includes(l)) put(l.text, l.span);
  put('}');
  put();
}

/** The function the pool calls for a parallel kernel function: its arguments out of a bertc_args. */
function emitTrampoline(put: (t?: string) => void, f: KernelFunction, r: CLikeRenderer): void {
  const keys = Array.from({ length: f.keys }, (_, i) => `a->keys[${i}]`);
  put(`static void ${f.name}_tasks(const void *ctx, ptrdiff_t lo_, ptrdiff_t hi_, int thread_) {`);
  put('  const bertc_args *a = (const bertc_args *)ctx;');
  put(`  ${f.name}(${['a->m', 'a->status', ...keys, ...unpack(f, 0, r), 'lo_', 'hi_', 'thread_'].join(', ')});`);
  put('}');
  put();
}

/** Function `f`'s buffer arguments (and packed B) out of a bertc_args, from its pointer `from` on. */
function unpack(f: KernelFunction, from: number, r: CLikeRenderer): string[] {
  return [...f.params.map((n, i) => `(${r.storageType(n.type.dtype)} *)a->p[${from + i}]`), ...(f.packed ? [`(const float *)a->p[${from + f.params.length}]`] : [])];
}

/** The arguments of bertc_pack_b (and, after the pool, of bertc_pack_b_parallel) packing `p`, of element type `type`, into `out`. */
function packArgs(p: PackedOperand, home: (n: Node) => string, type: string, out: string): string {
  return `${p.K}, ${p.N}, ${home(p.buffer)} + ${p.offset}, ${type}, ${p.rowStride}, ${p.colStride}, ${p.kc}, ${p.nr}, ${out}`;
}

/** A pool job's arguments (bertc_args) as a compound literal at the call site: the model, the status, the keys and the buffers. */
function taskArgs(keys: readonly string[], buffers: readonly string[]): string {
  return `&(bertc_args){ m, &status, ${keys.length ? `(const uint32_t[]){ ${keys.join(', ')} }` : 'NULL'}, (const void *const[]){ ${buffers.join(', ') || 'NULL'} } }`;
}

function emitInit(put: (t?: string, s?: Line['span']) => void, L: Layout, call: (k: Kernel) => Call, workspaces: readonly string[], r: CLikeRenderer, updates: readonly Node[], inPlace: boolean, packs: readonly NamedPack[], home: (n: Node) => string, floats: { readonly scratch: number; readonly callPack: number }): void {
  put('int bertc_init(bertc_model **out, const char *weights_path, int threads, char *err, size_t errlen) {');
  put('  *out = NULL;');
  put('  bertc_model *m = calloc(1, sizeof *m);');
  put('  if (!m) return bertc_error(err, errlen, BERTC_ERR_MEMORY, "out of memory");');
  put('  int status = bertc_st_open(&m->weights, weights_path, err, errlen);');
  put('  if (status) { free(m); return status; }');
  put('  if (bertc_pool_start(&m->pool, threads)) { bertc_free(m); return bertc_error(err, errlen, BERTC_ERR_MEMORY, "cannot start %d threads", threads); }');
  for (const p of L.params) {
    const shape = p.type.shape;
    put(`  { static const int64_t shape[] = { ${shape.join(', ')} };`, p.meta.span);
    put(`    m->w${p.id} = bertc_st_tensor(&m->weights, ${JSON.stringify(p.attr<string>('name'))}, "${p.type.dtype.toUpperCase()}", shape, ${shape.length}, err, errlen);`, p.meta.span);
    put(`    if (!m->w${p.id}) { bertc_free(m); return BERTC_ERR_MISSING; } }`);
  }
  for (const k of L.init) for (const o of k.outputs) put(`  m->i${o.id} = bertc_alloc(${bytesOf(o)});`);
  for (const p of updates) {
    if (!inPlace) put(`  m->u${p.id} = m->own${p.id} = bertc_alloc(${bytesOf(p)});`);
    else put(`  if ((m->own${p.id} = bertc_alloc(${bytesOf(p)}))) { memcpy(m->own${p.id}, m->w${p.id}, ${bytesOf(p)}); m->w${p.id} = m->own${p.id}; }`);
  }
  put(`  m->arena = bertc_alloc(${Math.max(64, L.plan.bytes)});`);
  const { callPack } = floats;
  put('  m->gemm_ws_floats = 0;');
  for (const w of workspaces) put(`  { size_t w = ${w}; if (w > m->gemm_ws_floats) m->gemm_ws_floats = w; }`);
  put(`  m->gemm_scratch_floats = ${floats.scratch};`);
  put(`  m->gemm_ws = bertc_alloc(sizeof(${r.type(SGEMM_DTYPE)}) * (m->gemm_ws_floats + 16) * (size_t)m->pool.threads);`);
  put(`  m->gemm_scratch = bertc_alloc(sizeof(${r.type(SGEMM_DTYPE)}) * m->gemm_scratch_floats * (size_t)m->pool.threads);`);
  for (const p of packs) put(`  m->${p.name} = bertc_alloc(sizeof(float) * bertc_packed_b_floats(${p.K}, ${p.N}, ${p.nr}));`);
  if (callPack) put(`  m->gemm_packed = bertc_alloc(sizeof(float) * ${callPack});`);
  put(`  if (!m->arena || !m->gemm_ws || !m->gemm_scratch${callPack ? ' || !m->gemm_packed' : ''}${[...L.init.flatMap((k) => k.outputs).map((o) => ` || !m->i${o.id}`), ...updates.map((p) => ` || !m->own${p.id}`), ...packs.map((p) => ` || !m->${p.name}`)].join('')}) { bertc_free(m); return bertc_error(err, errlen, BERTC_ERR_MEMORY, "out of memory"); }`);
  put('  /* Weight transforms run once, here; they draw no random numbers. */');
  for (const k of L.init) put(`  ${call(k).text};`, k.ops[0]?.meta.span);
  if (packs.length) put('  /* Weights packed for their GEMMs, after the transforms that compute some of them. */');
  for (const p of packs) put(`  bertc_pack_b(${packArgs(p, home, 'BERTC_F32', `m->${p.name}`)});`);
  put('  *out = m;');
  put('  return status;');
  put('}');
  put();
}

/**
 * Floats of m->gemm_scratch per thread: a task's rows of C, for the largest GEMM kernel. Weight
 * transforms run GEMMs too (a product of two weights), so their scratch counts as well; fused
 * attention keeps its packed operands in the workspace, and needs no scratch.
 */
function scratchFloats(L: Layout, a: Accelerator, views: ReadonlySet<Node>): number {
  const rows = L.kernels.filter((k) => k.kind === 'gemm').map((k) => {
    const mm = k.ops.find(isMatmul)!;
    return gemmTasks(mm, views, a).rows * mm.type.shape[mm.type.shape.length - 1]!;
  });
  return Math.max(16, ...rows);
}

function apiParams(m: Module, r: CLikeRenderer): string[] {
  const ins = m.graph.inputs.map((n) => `const ${r.storageType(n.type.dtype)} *in_${cName(n.attr<string>('name'))}`);
  const outs = m.graph.outputs.map((o) => `${r.storageType(o.node.type.dtype)} *out_${cName(o.name)}`);
  return [...ins, ...outs, 'uint32_t seed'];
}

function emitRun(put: (t?: string, s?: Line['span']) => void, L: Layout, call: (k: Kernel) => Call, home: (n: Node) => string, m: Module, r: CLikeRenderer): void {
  put(`int bertc_run(bertc_model *m, ${apiParams(m, r).join(', ')}) {`);
  put('  int status = BERTC_OK;');
  for (const n of m.graph.inputs) put(`  (void)in_${cName(n.attr<string>('name'))};`);
  const calls = L.run.map(call);
  if (calls.some((c) => c.keys)) {
    // One key per dropout stream, derived from the seed once per run (docs/dropout-rng.md).
    const ids = L.run.flatMap(dropoutOps).map((n) => n.attr<number>('id'));
    const count = Math.max(1, ...ids.map((i) => i + 1));
    put(`  uint32_t keys[${count}];`);
    put(`  for (uint32_t id = 0; id < ${count}; id++) keys[id] = bertc_dropout_key(seed, id);`);
  } else {
    put('  (void)seed;');
  }
  L.run.forEach((k, i) => put(`  BERTC_TIMED(${i}, ${calls[i]!.text});`, k.ops[0]?.meta.span));
  // Results that no kernel writes (a source, an iota, a view of either or of a buffer) are copied
  // out; a result named twice is copied once for each name.
  const env = { r, views: m.partition.views, train: m.train, ptr: (n: Node) => `(${home(n)})` };
  const first = new Map<Node, string>();
  for (const o of m.graph.outputs) {
    const out = `out_${cName(o.name)}`;
    const earlier = first.get(o.node);
    if (earlier) {
      put(`  memcpy(${out}, ${earlier}, ${bytesOf(o.node)});`, o.node.meta.span);
      continue;
    }
    first.set(o.node, out);
    const [copy] = resultCopies([o.node], L.direct, m.partition.views);
    if (!copy) continue;
    if (copy.contiguous) put(`  memcpy(${out}, ${home(copy.buffer!)}, ${bytesOf(o.node)});`, o.node.meta.span);
    else put(`  ${r.loop('i', numel(o.node.type.shape))} ${out}[i] = ${r.store(resultCopyValue(copy, env, 'i'), o.node.type.dtype)};`, o.node.meta.span);
  }
  put('  return status;');
  put('}');
  put();
}

/** The weights a training step updates (docs/autodiff.md): each has an output of its own name holding its next value. */
function updatedWeights(m: Module, L: Layout): Node[] {
  const byName = new Map(L.params.map((p) => [p.attr<string>('name'), p]));
  return [...stateUpdates(m.graph).keys()].map((name) => {
    const param = byName.get(name);
    if (!param) throw new Error(`internal: the step updates '${name}', which no kernel reads`);
    return param;
  });
}

/**
 * Can bertc_step write every weight's next value over the weight itself? Each must be computed by
 * the one kernel (a multi-tensor kernel's one segment) that, elementwise and at the same element,
 * is the last in the run to read the weight; then the run never reads a weight it has overwritten.
 * Otherwise the next values go to second buffers that bertc_step swaps in.
 */
function updatesInPlace(L: Layout, next: ReadonlyMap<Node, Node>): boolean {
  if (!next.size) return false;
  const reads = (k: Kernel, p: Node) => k.inputs.includes(p);
  return [...next].every(([p, o]) => {
    if (!L.direct.has(o) || !shapeEquals(o.type.shape, p.type.shape)) return false;
    const at = L.run.findIndex((k) => k.outputs.includes(o));
    const k = L.run[at];
    if (!k || L.run.slice(at + 1).some((later) => reads(later, p))) return false;
    const part = (k.segments ?? [k]).find((sg) => sg.outputs.includes(o))!;
    if ((k.segments ?? []).some((sg) => sg !== part && reads(sg, p))) return false;
    // Written in place only by an elementwise kernel (the loss scaler's reductions read what they overwrite).
    return part.kind === 'elementwise' && part.ops.every((n) => !n.srcs.includes(p) || (isElementwise(n) && shapeEquals(n.type.shape, p.type.shape)));
  });
}

/** The step's arguments: its inputs, and the outputs that are not next values of weights. */
function stepParams(m: Module, r: CLikeRenderer): string[] {
  const ins = m.graph.inputs.map((n) => `const ${r.storageType(n.type.dtype)} *in_${cName(n.attr<string>('name'))}`);
  const outs = stepResults(m.graph).map((o) => `${r.storageType(o.node.type.dtype)} *out_${cName(o.name)}`);
  return [...ins, ...outs, 'uint32_t seed'];
}

function emitStep(put: (t?: string, s?: Line['span']) => void, L: Layout, call: (k: Kernel) => Call, m: Module, r: CLikeRenderer, updates: readonly Node[], inPlace: boolean): void {
  const next = new Map(updates.map((p) => [p.attr<string>('name'), inPlace ? `(${r.storageType(p.type.dtype)} *)m->w${p.id}` : `m->u${p.id}`]));
  put(`int bertc_step(bertc_model *m, ${stepParams(m, r).join(', ')}) {`);
  const args = [...m.graph.inputs.map((n) => `in_${cName(n.attr<string>('name'))}`), ...m.graph.outputs.map((o) => next.get(o.name) ?? `out_${cName(o.name)}`), 'seed'];
  put(`  int status = bertc_run(m, ${args.join(', ')});`);
  put('  if (status) return status;');
  if (inPlace) {
    put('  /* The run wrote the next values over the current ones: the update is the last kernel to read them. */');
  } else {
    put('  /* The next values become the current ones: the buffers swap, nothing is copied. */');
    for (const p of updates) {
      const t = r.storageType(p.type.dtype);
      put(`  { const ${t} *t = m->w${p.id}; m->w${p.id} = m->u${p.id}; m->u${p.id} = (${t} *)t; }`);
    }
  }
  if (L.init.length) put('  /* Weight transforms (the fused QKV concatenation) over the new weights. */');
  for (const k of L.init) put(`  ${call(k).text};`, k.ops[0]?.meta.span);
  put('  return status;');
  put('}');
  put();
  put('const void *bertc_weight(const bertc_model *m, const char *name) {');
  for (const p of L.params) put(`  if (!strcmp(name, ${JSON.stringify(p.attr<string>('name'))})) return m->w${p.id};`);
  put('  return NULL;');
  put('}');
  put();
}

function header(m: Module, L: Layout, opts: COptions, r: CLikeRenderer, updates: readonly Node[]): string {
  const shapes = [
    ...m.graph.inputs.map((n) => ` *   in_${cName(n.attr<string>('name'))}: ${n.type.dtype} ${formatShape(n.type.shape)}`),
    ...m.graph.outputs.map((o) => ` *   out_${cName(o.name)}: ${o.node.type.dtype} ${formatShape(o.node.type.shape)}`),
  ];
  const weights = L.params.reduce((s, p) => s + bytesOf(p), 0);
  return `/* Generated by bertc: ${opts.command}. Do not edit.
 *
 * Build: cc ${[...REQUIRED_CFLAGS, ...DEFAULT_CFLAGS].join(' ')} -c model.c   (then link with -pthread -lm; see Makefile)
 *
 * Shapes are fixed when the model is compiled (all row-major, C order):
${shapes.join('\n')}
 *
 * Memory: weights ${weights} bytes (read from the safetensors file and kept by the model);
 * activation arena ${L.plan.bytes} bytes, planned by liveness (${L.plan.unplannedBytes} bytes without reuse).
 * ${L.run.length} kernels per run, ${L.init.length} weight transforms at load; ${m.train ? 'training-mode forward: dropout draws its mask from `seed` (docs/dropout-rng.md)' : 'inference: dropout is the identity and `seed` is ignored'}.
 */
#ifndef BERTC_MODEL_H
#define BERTC_MODEL_H
#include <stddef.h>
#include <stdint.h>

typedef struct bertc_model bertc_model;

/* Loads the weights (by Hugging Face state-dict name) from a safetensors file, checking every
 * tensor's dtype and shape, and starts the model's threads: 'threads' of them, the caller of
 * bertc_run included, or one per core the process may use when threads <= 0. Waiting threads
 * sleep after a fraction of a millisecond, so nothing spins while the model is not running.
 * Returns 0, or an error code with a message in err. A model runs one call at a time. */
int bertc_init(bertc_model **model, const char *weights_path, int threads, char *err, size_t errlen);

/* Runs one forward pass. Returns 0, or BERTC_ERR_INDEX (6) when an input id is out of range. */
int bertc_run(bertc_model *model, ${apiParams(m, r).join(', ')});
${updates.length ? `
/* One training step: bertc_run, then the next value of every weight and optimizer moment (the
 * outputs named after them) becomes the model's own, in place, and the weight transforms run again.
 * The in_adamw_* scalars are the step's (docs/autodiff.md). Returns as bertc_run does. */
int bertc_step(bertc_model *model, ${stepParams(m, r).join(', ')});

/* A weight's (or moment's) current values, by name; NULL for a name the model has not. */
const void *bertc_weight(const bertc_model *model, const char *name);
` : ''}
void bertc_free(bertc_model *model);

/* The kernels of bertc_run, in order, and (built with -DBERTC_PROFILE) their times in the last run. */
extern const int bertc_kernel_count;
extern const char *const bertc_kernel_names[];
void bertc_kernel_times(const bertc_model *model, double *seconds);

#endif
`;
}

/**
 * Where the harness holds tensors that its files store back to back: each at a multiple of 8 bytes
 * (the largest element, i64), since a tensor after an odd number of 2-byte or 1-byte elements
 * would not be aligned for its type at its offset in the file. `slurp` reads the file into these
 * slots; writing goes tensor by tensor.
 */
interface Slots {
  readonly at: readonly number[];
  readonly bytes: readonly number[];
  /** Bytes of the slots (a multiple of 8), and of the tensors back to back in a file. */
  readonly size: number;
  readonly packed: number;
}

function slotsOf(nodes: readonly Node[]): Slots {
  const bytes = nodes.map(bytesOf);
  const at: number[] = [];
  let size = 0;
  for (const b of bytes) {
    at.push(size);
    size += Math.ceil(b / 8) * 8;
  }
  return { at, bytes, size, packed: bytes.reduce((s, b) => s + b, 0) };
}

/** The C declarations of slots' offsets and sizes, `NAME_at` and `NAME_bytes`. */
const slotTables = (name: string, s: Slots) => `static const size_t ${name}_at[] = { ${s.at.join(', ') || '0'} }, ${name}_bytes[] = { ${s.bytes.join(', ') || '0'} };`;

/** The training mode of the harness: N calls of bertc_step on one batch, each with its own scalars. */
function trainingHarness(m: Module, r: CLikeRenderer): { usage: string; fn: string } {
  const batch = m.graph.inputs.filter((n) => !isOptimizerInput(n));
  const scalars = m.graph.inputs.filter(isOptimizerInput);
  const perStep = stepResults(m.graph);
  const finals = [...stateUpdates(m.graph).values()];
  // Each step's scalars and results are a record of slots; the weights after the last step follow
  // the results' records, back to back as they are written (memcpy only, no typed access).
  const [B, SC, PS] = [slotsOf(batch), slotsOf(scalars), slotsOf(perStep.map((o) => o.node))];
  const arg = (n: Node) => (isOptimizerInput(n) ? `(const ${r.storageType(n.type.dtype)} *)(scal + (size_t)t * ${SC.size} + ${SC.at[scalars.indexOf(n)]})` : `(const ${r.storageType(n.type.dtype)} *)(batch + ${B.at[batch.indexOf(n)]})`);
  const perStepArgs = perStep.map((o, i) => `(${r.storageType(o.node.type.dtype)} *)(out + (size_t)t * ${PS.size} + ${PS.at[i]})`);
  let at = 0;
  // Each step's loss as it is done, as the bits of its float (bertc train shows it as progress).
  const loss = perStep.find((o) => o.name === 'loss' && numel(o.node.type.shape) === 1 && o.node.type.dtype === 'f32');
  const progress = loss
    ? `\n    if (!status) { uint32_t bits; memcpy(&bits, out + (size_t)t * ${PS.size} + ${PS.at[perStep.indexOf(loss)]}, 4); printf("step %ld loss %08lx\\n", t + 1, (unsigned long)bits); fflush(stdout); }`
    : '';
  const copies = finals.map((o) => {
    const line = `  memcpy(out + (size_t)steps * ${PS.size} + ${at}, bertc_weight(m, ${JSON.stringify(o.name)}), ${bytesOf(o.node)});`;
    at += bytesOf(o.node);
    return line;
  });
  return {
    usage: ` * or, for a training step, N steps on one batch:
 *   ./model --steps N WEIGHTS.safetensors BATCH.bin SCALARS.bin OUTPUTS.bin [SEED]
 * BATCH.bin holds ${batch.map((n) => n.attr<string>('name')).join(', ')}; SCALARS.bin, for each step, ${scalars.map((n) => n.attr<string>('name')).join(', ')};
 * OUTPUTS.bin receives, for each step, ${perStep.map((o) => o.name).join(', ')}, then the weights and moments after the last step.${loss ? '\n * After each step it prints "step T loss BITS", the loss as the hex bits of its float.' : ''} */`,
    fn: `
static int train(int argc, char **argv) {
  if (argc < 7) { fprintf(stderr, "usage: %s --steps N WEIGHTS BATCH.bin SCALARS.bin OUTPUTS.bin [SEED]\\n", argv[0]); return 2; }
  long steps = strtol(argv[2], NULL, 10);
  if (steps < 1) { fprintf(stderr, "error: --steps wants a positive count, got %s\\n", argv[2]); return 2; }
  char err[512];
  bertc_model *m;
  int status = bertc_init(&m, argv[3], 0, err, sizeof err);
  if (status) { fprintf(stderr, "error: %s\\n", err); return 1; }
  _Alignas(64) static unsigned char batch[${Math.max(8, B.size)}];
  ${slotTables('batch', B)}
  ${slotTables('scal', SC)}
  ${slotTables('res', PS)}
  unsigned char *scal = malloc((size_t)steps * ${SC.size} + 8), *out = malloc((size_t)steps * ${PS.size} + ${at} + 8);
  if (!scal || !out) { fprintf(stderr, "error: out of memory\\n"); free(scal); free(out); bertc_free(m); return 1; }
  if (slurp(argv[4], batch, 1, 0, batch_at, batch_bytes, ${batch.length}) || slurp(argv[5], scal, steps, ${SC.size}, scal_at, scal_bytes, ${scalars.length})) { fprintf(stderr, "error: cannot read the batch or the step scalars\\n"); free(scal); free(out); bertc_free(m); return 1; }
  uint32_t seed = argc > 7 ? (uint32_t)strtoul(argv[7], NULL, 10) : 0;
  for (long t = 0; t < steps && !status; t++) {
    status = bertc_step(m, ${[...m.graph.inputs.map(arg), ...perStepArgs, 'seed'].join(', ')});${progress}
  }
  if (status) { fprintf(stderr, "error: an input id is out of range (status %d)\\n", status); free(scal); free(out); bertc_free(m); return 1; }
${copies.join('\n')}
  bertc_free(m);
  free(scal);
  FILE *f = fopen(argv[6], "wb");
  int bad = f == NULL;
  for (long t = 0; t < steps && !bad; t++)
    for (int i = 0; i < ${perStep.length} && !bad; i++) bad = fwrite(out + (size_t)t * ${PS.size} + res_at[i], 1, res_bytes[i], f) != res_bytes[i];
  if (bad || fwrite(out + (size_t)steps * ${PS.size}, 1, ${at}, f) != ${at}) { fprintf(stderr, "error: cannot write %s\\n", argv[6]); if (f) fclose(f); free(out); return 1; }
  fclose(f);
  free(out);
  return 0;
}
`,
  };
}

function harness(m: Module, r: CLikeRenderer, updates: readonly Node[]): string {
  const ins = m.graph.inputs;
  const outs = m.graph.outputs;
  const [inSlots, outSlots] = [slotsOf(ins), slotsOf(outs.map((o) => o.node))];
  const training = updates.length ? trainingHarness(m, r) : undefined;
  return `/* A command-line harness for the generated model (bertc run --target c uses it):
 *   ./model WEIGHTS.safetensors INPUTS.bin OUTPUTS.bin [SEED]
 * INPUTS.bin holds ${ins.map((n) => n.attr<string>('name')).join(', ')} back to back, raw little-endian;
 * OUTPUTS.bin receives ${outs.map((o) => o.name).join(', ')} the same way.${training ? `
${training.usage}` : ' */'}
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
${training ? '#include <string.h>\n' : ''}
/* Reads records of n tensors each, stored back to back in path, into their slots in dst: tensor i
 * of record r at r * stride + at[i], aligned for its type (its offset in the file need not be). */
static int slurp(const char *path, unsigned char *dst, long records, size_t stride, const size_t *at, const size_t *bytes, int n) {
  FILE *f = fopen(path, "rb");
  if (!f) return 1;
  int bad = 0;
  for (long r = 0; r < records && !bad; r++)
    for (int i = 0; i < n && !bad; i++) bad = fread(dst + (size_t)r * stride + at[i], 1, bytes[i], f) != bytes[i];
  fclose(f);
  return bad;
}

${training?.fn ?? ''}
int main(int argc, char **argv) {${training ? '\n  if (argc > 1 && !strcmp(argv[1], "--steps")) return train(argc, argv);' : ''}
  if (argc < 4) { fprintf(stderr, "usage: %s WEIGHTS INPUTS.bin OUTPUTS.bin [SEED]\\n", argv[0]); return 2; }
  char err[512];
  bertc_model *m;
  int status = bertc_init(&m, argv[1], 0, err, sizeof err);
  if (status) { fprintf(stderr, "error: %s\\n", err); return 1; }
  _Alignas(64) static unsigned char in[${Math.max(8, inSlots.size)}];
  _Alignas(64) static unsigned char out[${Math.max(8, outSlots.size)}];
  ${slotTables('in', inSlots)}
  ${slotTables('out', outSlots)}
  if (slurp(argv[2], in, 1, 0, in_at, in_bytes, ${ins.length})) { fprintf(stderr, "error: cannot read %zu bytes of inputs from %s\\n", (size_t)${inSlots.packed}, argv[2]); bertc_free(m); return 1; }
  uint32_t seed = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 0;
  status = bertc_run(m, ${[
    ...ins.map((n, i) => `(const ${r.storageType(n.type.dtype)} *)(in + ${inSlots.at[i]})`),
    ...outs.map((o, i) => `(${r.storageType(o.node.type.dtype)} *)(out + ${outSlots.at[i]})`),
    'seed',
  ].join(', ')});
  bertc_free(m);
  if (status) { fprintf(stderr, "error: an input id is out of range (status %d)\\n", status); return 1; }
  FILE *f = fopen(argv[3], "wb");
  int bad = f == NULL;
  for (int i = 0; i < ${outs.length} && !bad; i++) bad = fwrite(out + out_at[i], 1, out_bytes[i], f) != out_bytes[i];
  if (bad) { fprintf(stderr, "error: cannot write %s\\n", argv[3]); if (f) fclose(f); return 1; }
  fclose(f);
  return 0;
}
`;
}

/**
 * The flags model.c is written for, whatever the user's optimisation flags. -fno-math-errno: the
 * generated code never reads errno, and with errno to set GCC cannot vectorise a loop that calls
 * sqrtf (AdamW's update ran scalar, at 14 GB/s instead of 36). Values are unchanged.
 */
export const REQUIRED_CFLAGS: readonly string[] = ['-std=c11', '-pthread', '-fno-math-errno'];

/** The optimisation flags a build uses unless the user gives others (the Makefile's CFLAGS, bertc's --cflags). */
export const DEFAULT_CFLAGS: readonly string[] = ['-O3', '-march=native'];

function makefile(): string {
  return `# Builds the generated model and its command-line harness.
CC ?= cc
CFLAGS ?= ${DEFAULT_CFLAGS.join(' ')}
BERTC_CFLAGS = ${REQUIRED_CFLAGS.join(' ')}

model: main.c model.c model.h bertc_runtime.h
\t$(CC) $(BERTC_CFLAGS) $(CFLAGS) -o $@ main.c model.c -lm

clean:
\trm -f model

.PHONY: clean
`;
}
