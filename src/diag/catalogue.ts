/**
 * Every diagnostic bertc can emit, by code. Messages are templates: `{name}` is replaced by the
 * argument of that name. docs/diagnostics.md lists the same table for users; a test keeps the two
 * in step.
 */
export const CATALOGUE = {
  E0001: { severity: 'error', title: 'syntax error', template: '{detail}' },
  E0002: { severity: 'error', title: 'unknown name', template: "unknown name '{name}'{hint}" },
  E0003: { severity: 'error', title: 'unknown op or layer', template: "unknown op or layer '{name}'{hint}" },
  E0004: { severity: 'error', title: 'unknown config', template: '{detail}' },
  E0005: { severity: 'error', title: 'unknown attribute', template: "'{op}' has no attribute '{name}'{hint}" },
  E0006: { severity: 'error', title: 'shape mismatch', template: '{detail}' },
  E0007: { severity: 'error', title: 'dtype mismatch', template: '{detail}' },
  E0008: { severity: 'error', title: 'wrong arity', template: "'{op}' takes {expected}, got {found}" },
  E0009: { severity: 'error', title: 'non-divisible or invalid dimension', template: '{detail}' },
  E0010: { severity: 'error', title: 'recursive layer', template: "layer '{name}' calls itself: {cycle}" },
  E0011: { severity: 'error', title: 'missing parameter binding', template: "parameter '{name}' is not in {file}{hint}" },
  E0012: { severity: 'warning', title: 'unused parameter binding', template: "tensor '{name}' in {file} is not bound by any parameter" },
  E0013: { severity: 'warning', title: 'unused parameter', template: "parameter '{name}' is declared but never used" },
  E0014: { severity: 'error', title: 'invalid attribute value', template: "attribute '{name}' of '{op}' {detail}" },
  E0015: { severity: 'error', title: 'redefinition', template: "'{name}' is already defined{where}" },
  E0016: { severity: 'error', title: 'not a tensor or not a constant', template: '{detail}' },
  E0017: { severity: 'error', title: 'assertion failed', template: 'assertion failed: {detail}' },
  E0018: { severity: 'error', title: 'invalid constant expression', template: '{detail}' },
  E0019: { severity: 'error', title: 'no entry point', template: '{detail}' },
  E0020: { severity: 'error', title: 'type annotation mismatch', template: "'{name}' is declared {declared} but its value is {found}" },
  E0021: { severity: 'error', title: 'bad return', template: '{detail}' },
  E0022: { severity: 'error', title: 'parameter shape mismatch', template: "parameter '{name}' in {file} has {found}, the model declares {expected}" },
  E0023: { severity: 'error', title: 'bad input', template: '{detail}' },
  E0024: { severity: 'error', title: 'unknown config constant', template: '--set {name}: {detail}' },
  E0025: { severity: 'error', title: 'cannot read file', template: '{detail}' },
  E0026: { severity: 'error', title: 'duplicate parameter binding', template: "tensor '{name}' is bound by two parameters of different types: {first} and {second}" },
  E0027: { severity: 'error', title: 'limit exceeded', template: '{detail}' },
  E0028: { severity: 'error', title: 'cannot write output', template: '{detail}' },
  E0029: { severity: 'error', title: 'accelerator cannot run the model', template: '{detail}' },
  E0030: { severity: 'error', title: 'invalid ONNX model', template: '{file}: {detail}' },
  E0031: { severity: 'error', title: 'unsupported ONNX operator or form', template: "{file}: node '{node}' ({op}, opset {opset}): {detail}" },
} as const satisfies Record<string, { severity: 'error' | 'warning'; title: string; template: string }>;

export type DiagCode = keyof typeof CATALOGUE;
