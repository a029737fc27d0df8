/**
 * Safetensors files that the encoder cannot produce (malformed headers, lengths no real header
 * has), shared by the tests of the three readers: src/io/safetensors.ts, runtime.js's and the C
 * runtime's.
 */

/** A file with one raw header and data section, for malformed inputs the encoder cannot produce. */
export function rawFile(header: string | Uint8Array, data: Uint8Array = new Uint8Array()): Uint8Array {
  const json = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** A header entry for an F32 tensor. */
export const f32 = (name: string, shape: number[], begin: number, end: number) =>
  `"${name}":{"dtype":"F32","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;

/** Eight bytes of header length and then `tail`: for lengths that no real header has. */
export function withHeaderLength(length: bigint, tail: number): Uint8Array {
  const out = new Uint8Array(8 + tail);
  new DataView(out.buffer).setBigUint64(0, length, true);
  return out;
}

/**
 * Files the format forbids, each with what bertc's reader says when the file is called
 * m.safetensors, and what runtime.js's reader says (it is given bytes, not a file). bertc's reader
 * and runtime.js share their checks (src/io/safetensorsLayout.js) but word them apart, and the C
 * runtime is C, so every reader runs on every case: test/safetensors.test.ts here,
 * test/c-runtime.test.ts for the C reader.
 */
export const MALFORMED: { label: string; bytes: Uint8Array; ts: string; runtime: RegExp }[] = [
  {
    label: 'a tensor named twice',
    bytes: rawFile(`{${f32('a', [1], 0, 4)},${f32('a', [1], 4, 8)}}`, new Uint8Array(8)),
    ts: "tensor 'a' appears twice in the header of m.safetensors; the format forbids duplicate names",
    runtime: /tensor 'a' appears twice in the header; the format forbids duplicate names/,
  },
  {
    label: 'a tensor named twice, once with an escape',
    bytes: rawFile(`{${f32('a', [1], 0, 4)},${f32('\u0061', [1], 4, 8)}}`, new Uint8Array(8)),
    ts: "tensor 'a' appears twice in the header of m.safetensors; the format forbids duplicate names",
    runtime: /tensor 'a' appears twice/,
  },
  {
    label: 'a key repeated inside an entry',
    bytes: rawFile('{"a":{"dtype":"I32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)),
    ts: "tensor 'a' in m.safetensors has an invalid header entry: key 'dtype' appears twice",
    runtime: /tensor 'a' has an invalid header entry: key 'dtype' appears twice/,
  },
  {
    label: 'overlapping data_offsets',
    bytes: rawFile(`{${f32('b', [2], 4, 12)},${f32('a', [2], 0, 8)}}`, new Uint8Array(12)),
    ts: "tensor 'b' in m.safetensors has data_offsets [4, 12], overlapping tensor 'a' [0, 8]",
    runtime: /tensor 'b' has data_offsets \[4, 12\], overlapping tensor 'a' \[0, 8\]/,
  },
  {
    label: 'two tensors on the same bytes',
    bytes: rawFile(`{${f32('a', [1], 0, 4)},${f32('b', [1], 0, 4)}}`, new Uint8Array(4)),
    ts: "tensor 'b' in m.safetensors has data_offsets [0, 4], overlapping tensor 'a' [0, 4]",
    runtime: /tensor 'b' has data_offsets \[0, 4\], overlapping tensor 'a'/,
  },
  {
    label: 'a gap between tensors',
    bytes: rawFile(`{${f32('a', [1], 0, 4)},${f32('b', [1], 8, 12)}}`, new Uint8Array(12)),
    ts: "tensor 'b' in m.safetensors has data_offsets [8, 12], leaving bytes 4 to 8 after tensor 'a' unused",
    runtime: /tensor 'b' has data_offsets \[8, 12\], leaving bytes 4 to 8 after tensor 'a' unused/,
  },
  {
    label: 'a gap before the first tensor',
    bytes: rawFile(`{${f32('a', [1], 4, 8)}}`, new Uint8Array(8)),
    ts: "tensor 'a' in m.safetensors has data_offsets [4, 8], leaving bytes 0 to 4 before the first tensor unused",
    runtime: /leaving bytes 0 to 4 before the first tensor unused/,
  },
  {
    label: 'bytes after the last tensor',
    bytes: rawFile(`{${f32('a', [1], 0, 4)}}`, new Uint8Array(9)),
    ts: "m.safetensors has 5 bytes after tensor 'a', which no tensor's data_offsets cover",
    runtime: /the file has 5 bytes after tensor 'a', which no tensor's data_offsets cover/,
  },
  {
    label: 'data_offsets that do not match dtype and shape',
    bytes: rawFile(`{${f32('a', [3], 0, 8)}}`, new Uint8Array(8)),
    ts: "tensor 'a' in m.safetensors has data_offsets [0, 8] (8 bytes), expected 12 bytes for F32 [3]",
    runtime: /tensor 'a' has 8 bytes of data, expected 12 for F32 \[3\]/,
  },
  {
    label: 'data_offsets past the end of the file',
    bytes: rawFile(`{${f32('a', [2], 0, 8)}}`, new Uint8Array(4)),
    ts: "m.safetensors is truncated: expected 70 bytes (tensor 'a' ends there), found 66",
    runtime: /truncated: tensor 'a' ends at byte 70, the file has 66/,
  },
  {
    label: 'a header length past the end of the file',
    bytes: withHeaderLength(64n, 16),
    ts: 'm.safetensors is truncated: expected at least 72 bytes (8 + a header of 64), found 24',
    runtime: /truncated: expected at least 72 bytes \(8 \+ a header of 64\), found 24/,
  },
  {
    label: 'an absurd header length',
    bytes: withHeaderLength(2n ** 40n, 16),
    ts: "m.safetensors is not a safetensors file: its header length is 1099511627776 bytes, more than the format's 100,000,000 bytes (95.4 MiB)",
    runtime: /not a safetensors file: its header length is 1099511627776 bytes/,
  },
  {
    label: 'a header that is not an object',
    bytes: rawFile('[1, 2]'),
    ts: 'm.safetensors has an invalid header: expected a JSON object',
    runtime: /invalid header: expected a JSON object/,
  },
];
