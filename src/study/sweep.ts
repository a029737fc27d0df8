import { PRECISION_MODES } from '../ir/precision.js';

/**
 * The grid a study runs over (docs/studies.md): each `--sweep KEY=V1,V2,...` is one axis, several
 * axes span their product, the first given outermost. KEY is a config constant of the model file
 * (B, S, L, H, ...) or one of the study's own keys below.
 */

export const STUDY_KEYS = ['precision', 'micro-batch', 'replicas', 'level', 'config', 'accel'] as const;
export type StudyKey = (typeof STUDY_KEYS)[number];

export type Value = string | number;

export interface Axis {
  readonly key: string;
  readonly values: readonly Value[];
}

/** One point of the grid: a value for each axis, in axis order. */
export type Point = Readonly<Record<string, Value>>;

/** A mistake in a --sweep option: bad usage, exit 2. */
export class SweepError extends Error {}

const LEVELS = ['0', '1', '2'];

function isStudyKey(key: string): key is StudyKey {
  return (STUDY_KEYS as readonly string[]).includes(key);
}

function positiveInteger(key: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new SweepError(`--sweep ${key}: '${text}' is not a positive integer`);
  return v;
}

function valueOf(key: string, text: string): Value {
  switch (key) {
    case 'precision':
      if (!(PRECISION_MODES as readonly string[]).includes(text)) throw new SweepError(`--sweep precision: '${text}' is not one of ${PRECISION_MODES.join(', ')}`);
      return text;
    case 'level':
      if (!LEVELS.includes(text)) throw new SweepError(`--sweep level: '${text}' is not an optimisation level (0, 1 or 2)`);
      return Number(text);
    case 'micro-batch':
    case 'replicas':
      return positiveInteger(key, text);
    case 'config':
      return text;
    default: {
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) throw new SweepError(`--sweep ${key}: '${text}' is not a number`);
      return v;
    }
  }
}

/** `KEY=V1,V2,...` as an axis; the values in the order given, each once. */
export function parseSweep(text: string): Axis {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(.*)$/s.exec(text);
  if (!m) throw new SweepError(`--sweep expects KEY=V1,V2,... (a config constant such as B or S, or one of ${STUDY_KEYS.join(', ')}), got '${text}'`);
  const key = m[1]!;
  if (key === 'accel') throw new SweepError('--sweep accel: give the accelerators as --accel A,B,...');
  if (key.includes('-') && !isStudyKey(key)) throw new SweepError(`--sweep: unknown key '${key}' (a config constant, or one of ${STUDY_KEYS.join(', ')})`);
  const parts = m[2]!.split(',').map((v) => v.trim());
  if (parts.some((p) => p === '')) throw new SweepError(`--sweep ${key}: empty value in '${m[2]}'`);
  const values = parts.map((p) => valueOf(key, p));
  const seen = new Set<Value>();
  for (const v of values) {
    if (seen.has(v)) throw new SweepError(`--sweep ${key}: value ${v} is given twice`);
    seen.add(v);
  }
  return { key, values };
}

/** The axes checked against each other: one axis per key. */
export function checkAxes(axes: readonly Axis[]): void {
  const keys = new Set<string>();
  for (const a of axes) {
    if (keys.has(a.key)) throw new SweepError(`--sweep ${a.key} is given twice; give all its values in one --sweep ${a.key}=V1,V2,...`);
    keys.add(a.key);
  }
}

/** Every point of the grid, the first axis outermost. */
export function gridPoints(axes: readonly Axis[]): Point[] {
  let points: Record<string, Value>[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.key]: v })));
  return points;
}

/** Is a key a config constant (rather than one of the study's own keys)? */
export function isConstantKey(key: string): boolean {
  return !isStudyKey(key);
}
