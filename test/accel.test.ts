import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peakMatrixFlops } from '../src/accel/accelerator.js';
import { describeAccelerator, listAccelerators } from '../src/accel/describe.js';
import { loadAccelerator } from '../src/accel/load.js';
import { EDGE_NPU, PRESETS } from '../src/accel/presets.js';
import { ACCELERATOR_FORMAT, AcceleratorError, validateAccelerator } from '../src/accel/validate.js';

const dir = mkdtempSync(join(tmpdir(), 'bertc-accel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, unknown>;

/** A preset as a JSON file would hold it: a fresh, mutable copy. */
function asJson(value: unknown): Doc {
  return JSON.parse(JSON.stringify(value)) as Doc;
}

/** The object holding the last key of a dotted path (array indices as numbers), and that key. */
function at(doc: Doc, path: string): [Doc, string] {
  const keys = path.split('.');
  let o = doc;
  for (const k of keys.slice(0, -1)) o = o[k] as Doc;
  return [o, keys[keys.length - 1]!];
}

type Edit = (doc: Doc) => unknown;
const set = (path: string, value: unknown): Edit => (d) => {
  const [o, k] = at(d, path);
  o[k] = value;
};
const remove = (path: string): Edit => (d) => {
  const [o, k] = at(d, path);
  delete o[k];
};
const rename = (path: string, to: string): Edit => (d) => {
  const [o, k] = at(d, path);
  o[to] = o[k];
  delete o[k];
};

/** edge-npu as `edge.json` with one edit applied (an edit may return a whole new document). */
function edited(edit: Edit): unknown {
  const doc = asJson(EDGE_NPU);
  return edit(doc) ?? doc;
}

function problems(json: unknown): readonly string[] {
  try {
    validateAccelerator(json, 'edge.json');
  } catch (e) {
    if (e instanceof AcceleratorError) return e.problems;
    throw e;
  }
  return [];
}

const sram = { name: 'sram', capacity_bytes: 524288, bandwidth_bytes_per_s: 256e9, per_core: true };

/** Mistakes, the validator's exact lines, and whether the JSON schema can tell too. */
const MISTAKES: readonly { what: string; edit: Edit; expected: string[]; schema: boolean }[] = [
  { what: 'a zero count', edit: set('matrix.array.rows', 0), expected: ['edge.json: matrix.array.rows: must be a positive integer, got 0'], schema: true },
  { what: 'a fractional count', edit: set('cores', 1.5), expected: ['edge.json: cores: must be a positive integer, got 1.5'], schema: true },
  { what: 'a negative time', edit: set('launch_overhead_s', -1), expected: ['edge.json: launch_overhead_s: must be a positive number, got -1'], schema: true },
  { what: 'a number written as text', edit: set('clock_hz', '1 GHz'), expected: ['edge.json: clock_hz: must be a positive number, got "1 GHz"'], schema: true },
  {
    what: 'a bandwidth with a unit',
    edit: set('memory.0.bandwidth_bytes_per_s', '256 GB/s'),
    expected: ['edge.json: memory[0].bandwidth_bytes_per_s: must be a positive number, got "256 GB/s"'],
    schema: true,
  },
  { what: 'a boolean written as text', edit: set('matrix.systolic', 'yes'), expected: ['edge.json: matrix.systolic: must be a boolean, got "yes"'], schema: true },
  { what: 'a negative overhead', edit: set('matrix.tile_overhead_cycles', -3), expected: ['edge.json: matrix.tile_overhead_cycles: must be a number at least 0, got -3'], schema: true },
  { what: 'a shared-pipelines flag written as text', edit: set('matrix.shared_pipelines', 'true'), expected: ['edge.json: matrix.shared_pipelines: must be a boolean, got "true"'], schema: true },
  { what: 'a zero packing rate', edit: set('matrix.pack_elements_per_s', 0), expected: ['edge.json: matrix.pack_elements_per_s: must be a positive number, got 0'], schema: true },
  { what: 'a zero stream bandwidth', edit: set('dram.stream_bandwidth_bytes_per_s', 0), expected: ['edge.json: dram.stream_bandwidth_bytes_per_s: must be a positive number, got 0'], schema: true },
  { what: 'an empty name', edit: set('name', ''), expected: ['edge.json: name: must be a non-empty string, got ""'], schema: true },
  {
    what: 'a misspelled field',
    edit: rename('vector.lanes', 'lanez'),
    expected: ["edge.json: vector.lanez: unknown field (did you mean 'lanes'?)", 'edge.json: vector.lanes: missing, expected a positive integer'],
    schema: true,
  },
  {
    what: 'a field the format does not have',
    edit: set('notes', 'fast'),
    expected: ['edge.json: notes: unknown field (expected one of: name, description, sources, clock_hz, cores, matrix, vector, memory, dram, launch_overhead_s, webgpu, interconnect, near_memory, $schema)'],
    schema: true,
  },
  { what: 'a missing object', edit: remove('dram'), expected: ['edge.json: dram: missing, expected an object'], schema: true },
  {
    what: 'an unknown dtype',
    edit: set('matrix.macs_per_cycle', { f32: 256, fp16: 1024 }),
    expected: ["edge.json: matrix.macs_per_cycle.fp16: unknown dtype (did you mean 'f16'?)"],
    schema: true,
  },
  {
    what: 'no dtype at all',
    edit: set('matrix.macs_per_cycle', {}),
    expected: ['edge.json: matrix.macs_per_cycle: must list at least one dtype (f32, tf32, f16, bf16)'],
    schema: true,
  },
  {
    what: 'an unknown special function',
    edit: rename('vector.special_per_cycle.erf', 'gelu'),
    expected: [
      'edge.json: vector.special_per_cycle.gelu: unknown special function (expected one of: exp, erf, tanh, rsqrt)',
      'edge.json: vector.special_per_cycle.erf: missing, expected a positive number',
    ],
    schema: true,
  },
  {
    what: 'memory levels outermost first',
    edit: set('memory', [sram, { ...sram, name: 'L0', capacity_bytes: 65536 }]),
    expected: ['edge.json: memory[1].capacity_bytes: must be larger than memory[0] (524288), got 65536'],
    schema: false,
  },
  {
    what: 'two levels with one name',
    edit: set('memory', [sram, { ...sram, capacity_bytes: 2 * 524288 }]),
    expected: ['edge.json: memory[1].name: duplicate of memory[0].name "sram"'],
    schema: false,
  },
  {
    what: 'DRAM smaller than the SRAM',
    edit: set('dram.capacity_bytes', 1024),
    expected: ['edge.json: dram.capacity_bytes: must be larger than memory[0] (524288), got 1024'],
    schema: false,
  },
  { what: 'no memory levels', edit: set('memory', []), expected: ['edge.json: memory: must list at least one on-chip level'], schema: true },
  { what: 'a level that is not an object', edit: set('memory', ['sram']), expected: ['edge.json: memory[0]: must be an object, got "sram"'], schema: true },
  { what: 'no sources', edit: set('sources', []), expected: ['edge.json: sources: must list at least one source'], schema: true },
  { what: 'a $schema that is not a string', edit: set('$schema', 5), expected: ['edge.json: $schema: must be a string, got 5'], schema: true },
  {
    what: 'partial WebGPU limits',
    edit: set('webgpu', { max_workgroup_storage_bytes: 16384 }),
    expected: [
      'edge.json: webgpu.max_invocations_per_workgroup: missing, expected a positive integer',
      'edge.json: webgpu.max_workgroups_per_dimension: missing, expected a positive integer',
      'edge.json: webgpu.max_storage_buffers_per_stage: missing, expected a positive integer',
      'edge.json: webgpu.max_storage_buffer_binding_bytes: missing, expected a positive integer',
    ],
    schema: true,
  },
  { what: 'a document that is not an object', edit: () => [], expected: ['edge.json: must be an object, got an array'], schema: true },
];

describe('validateAccelerator', () => {
  it.each([...PRESETS.values()].map((a) => [a.name, a] as const))('accepts preset %s, and its JSON round trip unchanged', (name, a) => {
    expect(validateAccelerator(a, `preset ${name}`)).toEqual(a);
    expect(validateAccelerator(asJson(a), `${name}.json`)).toEqual(a);
  });

  it.each(MISTAKES.map((m) => [m.what, m] as const))('rejects %s', (_, m) => {
    expect(problems(edited(m.edit))).toEqual(m.expected);
  });

  it('collects every problem and throws them as one error, a line each', () => {
    const doc = asJson(EDGE_NPU);
    for (const edit of [set('matrix.array.rows', 0), set('matrix.systolic', 'yes'), remove('dram')]) edit(doc);
    expect(() => validateAccelerator(doc, 'edge.json')).toThrow(
      new AcceleratorError([
        'edge.json: matrix.array.rows: must be a positive integer, got 0',
        'edge.json: matrix.systolic: must be a boolean, got "yes"',
        'edge.json: dram: missing, expected an object',
      ]),
    );
    expect(() => validateAccelerator(doc, 'edge.json')).toThrow(/rows: .*\n.*systolic: .*\n.*dram: missing/);
  });

  it('accepts a $schema and keeps only the format\'s fields', () => {
    const a = validateAccelerator(edited(set('$schema', '../docs/accelerator.schema.json')), 'edge.json');
    expect(a).toEqual(EDGE_NPU);
    expect(Object.keys(a)).not.toContain('$schema');
  });
});

describe('presets', () => {
  it('are keyed by their names and say which numbers are assumptions', () => {
    expect([...PRESETS.keys()]).toEqual(['h100', 'h100-pim', 'tpu-v2-like', 'edge-npu', 'webgpu-generic', 'host-cpu']);
    for (const [name, a] of PRESETS) {
      expect(a.name).toBe(name);
      expect(a.sources.join(' ')).toMatch(/assum/);
    }
  });

  it('h100 reproduces the measured GEMM ceilings to within rounding', () => {
    const h100 = PRESETS.get('h100')!;
    for (const [dt, measured] of [['f32', 52e12], ['tf32', 372e12], ['bf16', 731e12]] as const) {
      expect(Math.abs(peakMatrixFlops(h100, dt)! / measured - 1)).toBeLessThan(0.005);
    }
    expect(h100.dram.bandwidth_bytes_per_s).toBe(3.0e12);
  });
});

// --- The JSON schema: the same format as the validator ---------------------------------------------

type Schema = Readonly<Record<string, unknown>>;

const schema = JSON.parse(readFileSync(new URL('../docs/accelerator.schema.json', import.meta.url), 'utf8')) as Schema;
const defs = schema.$defs as Readonly<Record<string, Schema>>;

/** The keywords the checker below implements; the schema must use no others. */
const KEYWORDS = new Set([
  '$schema', 'title', 'description', '$defs', '$ref', 'type', 'properties', 'required', 'additionalProperties',
  'minProperties', 'items', 'minItems', 'minLength', 'minimum', 'exclusiveMinimum',
]);

function isPlainObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TYPES: Readonly<Record<string, (v: unknown) => boolean>> = {
  object: isPlainObject,
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
};

/** A checker for the subset of JSON Schema 2020-12 in KEYWORDS: the paths that fail, empty when valid. */
function schemaErrors(s: Schema, v: unknown, path = '$'): string[] {
  const unknown = Object.keys(s).filter((k) => !KEYWORDS.has(k));
  if (unknown.length) throw new Error(`${path}: schema keyword(s) ${unknown.join(', ')} not supported by this checker`);
  const errors: string[] = [];
  if (typeof s.$ref === 'string') errors.push(...schemaErrors(defs[s.$ref.replace('#/$defs/', '')]!, v, path));
  if (typeof s.type === 'string' && !TYPES[s.type]!(v)) return [...errors, `${path}: not ${s.type}`];
  if (typeof v === 'string' && typeof s.minLength === 'number' && v.length < s.minLength) errors.push(`${path}: too short`);
  if (typeof v === 'number' && typeof s.minimum === 'number' && v < s.minimum) errors.push(`${path}: below minimum`);
  if (typeof v === 'number' && typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) errors.push(`${path}: not above minimum`);
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) errors.push(`${path}: too few items`);
    if (isPlainObject(s.items)) v.forEach((item, i) => errors.push(...schemaErrors(s.items as Schema, item, `${path}[${i}]`)));
  }
  if (isPlainObject(v)) {
    const props = isPlainObject(s.properties) ? s.properties : {};
    for (const [k, x] of Object.entries(v)) {
      const p = props[k];
      if (isPlainObject(p)) errors.push(...schemaErrors(p, x, `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}.${k}: not allowed`);
    }
    for (const k of Array.isArray(s.required) ? s.required : []) if (!Object.hasOwn(v, String(k))) errors.push(`${path}.${String(k)}: missing`);
    if (typeof s.minProperties === 'number' && Object.keys(v).length < s.minProperties) errors.push(`${path}: too few properties`);
  }
  return errors;
}

describe('docs/accelerator.schema.json', () => {
  it('has exactly the validator\'s objects and fields', () => {
    const objects = Object.entries(defs).filter(([, d]) => d.type === 'object');
    expect(objects.map(([name]) => name).sort()).toEqual(Object.keys(ACCELERATOR_FORMAT).filter((k) => k !== 'accelerator').sort());
    for (const [name, d] of [['accelerator', schema] as const, ...objects]) {
      const format = ACCELERATOR_FORMAT[name as keyof typeof ACCELERATOR_FORMAT];
      expect(d.required, name).toEqual(format.required);
      expect(Object.keys(d.properties as Schema).sort(), name).toEqual([...format.required, ...format.optional].sort());
      expect(d.additionalProperties, name).toBe(false);
    }
  });

  it.each([...PRESETS.keys()])('accepts preset %s', (name) => {
    expect(schemaErrors(schema, asJson(PRESETS.get(name)))).toEqual([]);
    expect(schemaErrors(schema, asJson({ $schema: './accelerator.schema.json', ...PRESETS.get(name) }))).toEqual([]);
  });

  it('accepts, like the validator, the complete example in docs/accelerators.md', () => {
    const doc = readFileSync(new URL('../docs/accelerators.md', import.meta.url), 'utf8');
    const example = /```json\n([^]*?)```/.exec(doc)![1]!;
    const a = validateAccelerator(JSON.parse(example), 'docs/accelerators.md');
    expect(peakMatrixFlops(a, 'f32')).toBeCloseTo(2.6624e12, -6);
    expect(schemaErrors(schema, JSON.parse(example))).toEqual([]);
  });

  it('rejects the mistakes it can express, and only the validator catches the rest', () => {
    for (const m of MISTAKES) expect(schemaErrors(schema, edited(m.edit)).length > 0, m.what).toBe(m.schema);
  });
});

// --- Loading ---------------------------------------------------------------------------------------

function loadError(nameOrPath: string): string {
  try {
    loadAccelerator(nameOrPath);
  } catch (e) {
    if (e instanceof AcceleratorError) return e.message;
    throw e;
  }
  throw new Error(`${nameOrPath} loaded`);
}

describe('loadAccelerator', () => {
  it('finds a preset by name', () => {
    expect(loadAccelerator('h100')).toBe(PRESETS.get('h100'));
  });

  it('reads and validates a JSON file', () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ $schema: '../docs/accelerator.schema.json', ...EDGE_NPU, name: 'mine' }, null, 2));
    expect(loadAccelerator(file)).toEqual({ ...EDGE_NPU, name: 'mine' });
  });

  it('names the file in validation errors', () => {
    const file = join(dir, 'zero.json');
    writeFileSync(file, JSON.stringify({ ...EDGE_NPU, cores: 0 }));
    expect(loadError(file)).toBe(`${file}: cores: must be a positive integer, got 0`);
  });

  it('reports invalid JSON with the file, line and column', () => {
    const comma = join(dir, 'comma.json');
    writeFileSync(comma, '{\n  "name": "x",\n  "cores": 1\n  "clock_hz": 1\n}\n');
    expect(loadError(comma)).toBe(`${comma}:4:3: invalid JSON: expected ',' or '}' after a property value, found "\\""`);
    // V8 gives no position for this one; the scan finds it.
    const literal = join(dir, 'literal.json');
    writeFileSync(literal, '{"cores": tru}');
    expect(loadError(literal)).toBe(`${literal}:1:11: invalid JSON: expected a value, found "t"`);
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect(loadError(empty)).toBe(`${empty}:1:1: invalid JSON: expected a value, found end of input`);
  });

  it('lists the presets for an unknown name, with a suggestion', () => {
    expect(loadError('h10')).toBe(
      "unknown accelerator 'h10': not a preset and not a file (did you mean 'h100'?); presets: h100, h100-pim, tpu-v2-like, edge-npu, webgpu-generic, host-cpu",
    );
    expect(loadError(join(dir, 'missing.json'))).toMatch(/not a preset and not a file; presets: h100, /);
  });
});

// --- Describing ------------------------------------------------------------------------------------

describe('describeAccelerator and listAccelerators', () => {
  it('show the peak rates, memories, balance, launch overhead, limits and sources', () => {
    const h100 = PRESETS.get('h100')!;
    const text = describeAccelerator(h100);
    for (const s of [
      '1.98 GHz x 132 cores', '51.7 TFLOP/s', '372 TFLOP/s', '731 TFLOP/s', '66.9 TFLOP/s', '228 KiB per core', '50 MiB shared',
      '80 GiB, 3 TB/s', '17.2 FLOP per DRAM byte', '4 us per kernel', '48 KiB workgroup storage, 1024 invocations/workgroup',
    ]) expect(text).toContain(s);
    for (const s of h100.sources) expect(text).toContain(s);
    expect(describeAccelerator(PRESETS.get('host-cpu')!)).toMatch(/f32 +224 GFLOP\/s/);
    expect(describeAccelerator(PRESETS.get('tpu-v2-like')!)).toContain('none (not a WebGPU target)');
  });

  it('lists one line per preset with its f32 peak, DRAM bandwidth and first sentence', () => {
    const lines = listAccelerators().trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([...PRESETS.keys()]);
    expect(lines[0]).toMatch(/^h100 +f32 51\.7 TFLOP\/s +DRAM 3 TB\/s +NVIDIA H100 .*bert-on-h100\.md\.$/);
  });
});
