// Regenerates src/onnx/onnxSchema.ts, protobufjs's JSON descriptor of ONNX's own onnx.proto
// (src/onnx/onnx.proto, copied unchanged from github.com/onnx/onnx), so that the importer decodes
// with protobufjs's reflection at run time without reading the .proto file or parsing it each time.
// test/onnx-schema.test.ts fails when the committed descriptor is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function schemaSource(protoText) {
  const json = protobuf.parse(protoText, { keepCase: false }).root.toJSON();
  return [
    '// Generated from src/onnx/onnx.proto by scripts/generate-onnx-schema.mjs; do not edit.',
    '// protobufjs reflection descriptor of ONNX\'s onnx.proto (Apache-2.0, the ONNX Project Contributors).',
    "import type { INamespace } from 'protobufjs/light.js';",
    '',
    `const SCHEMA = ${JSON.stringify(json, null, 1)};`,
    '',
    '// Through a variable: the descriptor carries fields (protoName) that INamespace does not declare.',
    'export const ONNX_SCHEMA: INamespace = SCHEMA;',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(join(root, 'src/onnx/onnx.proto'), 'utf8');
  writeFileSync(join(root, 'src/onnx/onnxSchema.ts'), schemaSource(text));
}
