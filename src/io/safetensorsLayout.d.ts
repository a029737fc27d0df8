/**
 * The layout rules of the safetensors format, in one place for its two readers in JavaScript:
 * bertc's (src/io/safetensorsFormat.ts) and the browser runtime's (targets/wgsl/runtime.js, beside
 * which `bertc compile --target wgsl` writes this file as safetensors-layout.js). A plain ES module
 * with no imports and no Node or DOM APIs, so that it runs in Node, in a browser and in the compile
 * core's bundle as it is. Its types are the JSDoc here; safetensorsLayout.d.ts is what tsc makes of
 * them, for the TypeScript that imports it (test/safetensors.test.ts says how to remake it).
 *
 * It finds what is wrong with a file and returns it as data: each reader says it in its own terms
 * (bertc's messages name the file, the runtime's are about bytes it was given), so both keep their
 * words while the checks are made once.
 */
export type SafetensorsDType = 'F32' | 'F16' | 'BF16' | 'I32' | 'I64' | 'BOOL';
export type HeaderLength = {
    problem?: undefined;
    length: number;
} | {
    problem: 'short';
} | {
    problem: 'over-limit';
    length: bigint;
} | {
    problem: 'truncated';
    length: bigint;
};
export type EntryProblem = {
    problem: 'shape';
} | {
    problem: 'offsets';
} | {
    problem: 'reversed';
    begin: number;
    end: number;
} | {
    problem: 'size';
    begin: number;
    end: number;
    expected: number;
};
export type LayoutEntry = {
    readonly begin: number;
    readonly end: number;
};
export type LayoutProblem<E extends LayoutEntry> = {
    problem: 'overlap';
    tensor: E;
    previous: E;
} | {
    problem: 'gap';
    tensor: E;
    previous: E | undefined;
    from: number;
} | {
    problem: 'past-end';
    last: E;
    end: number;
} | {
    problem: 'trailing';
    last: E | undefined;
    bytes: number;
};
export type DuplicateKey = {
    readonly key: string;
    readonly parent: string | undefined;
};
/** @typedef {'F32' | 'F16' | 'BF16' | 'I32' | 'I64' | 'BOOL'} SafetensorsDType */
/**
 * The header length, or why the first 8 bytes give none: 'short', the file has fewer than 8;
 * 'over-limit', more than MAX_HEADER_BYTES; 'truncated', more than the bytes after them.
 * @typedef {{ problem?: undefined, length: number }
 *   | { problem: 'short' }
 *   | { problem: 'over-limit', length: bigint }
 *   | { problem: 'truncated', length: bigint }} HeaderLength
 */
/**
 * 'shape', not an array of non-negative integers; 'offsets', not two of them; 'reversed', the end
 * before the begin; 'size', not the bytes that the dtype and shape take (`expected`).
 * @typedef {{ problem: 'shape' }
 *   | { problem: 'offsets' }
 *   | { problem: 'reversed', begin: number, end: number }
 *   | { problem: 'size', begin: number, end: number, expected: number }} EntryProblem
 */
/**
 * A tensor's byte range, relative to the data section.
 * @typedef {{ readonly begin: number, readonly end: number }} LayoutEntry
 */
/**
 * 'overlap', `tensor` starts before `previous` (the tensor before it in offset order) ends;
 * 'gap', bytes `from` to `tensor.begin` belong to no tensor; 'past-end', the last tensor ends at
 * `end`, past the data section; 'trailing', `bytes` bytes after the last tensor (none: `last` is
 * undefined) belong to no tensor.
 * @template {LayoutEntry} E
 * @typedef {{ problem: 'overlap', tensor: E, previous: E }
 *   | { problem: 'gap', tensor: E, previous: E | undefined, from: number }
 *   | { problem: 'past-end', last: E, end: number }
 *   | { problem: 'trailing', last: E | undefined, bytes: number }} LayoutProblem
 */
/**
 * A key that an object repeats; `parent` is the key of that object, undefined at the top level.
 * @typedef {{ readonly key: string, readonly parent: string | undefined }} DuplicateKey
 */
/**
 * Bytes per element of each dtype the format defines, in the order messages list them.
 * @type {Readonly<Record<SafetensorsDType, number>>}
 */
export declare const ITEM_BYTES: Readonly<Record<SafetensorsDType, number>>;
/**
 * The largest header the reference implementation accepts (its MAX_HEADER_SIZE); a larger length
 * is garbage, not a header, and is said to be one before it is compared with the file size.
 */
export declare const MAX_HEADER_BYTES = 100000000;
/**
 * The header length that the first 8 bytes of `view` (the whole file) give, or why they give none.
 * It is read as a u64 so that a garbage length cannot lose precision before it is checked.
 * @param {DataView} view
 * @returns {HeaderLength}
 */
export declare function readHeaderLength(view: DataView): HeaderLength;
/**
 * @param {unknown} v
 * @returns {v is number}
 */
export declare function isIndex(v: unknown): v is number;
/**
 * What is wrong with a header entry's shape and data_offsets for a dtype of `itemBytes` bytes, in
 * the order checked: the shape, the offsets, their order, their size; undefined when nothing is.
 * @param {unknown} shape
 * @param {unknown} offsets
 * @param {number} itemBytes
 * @returns {EntryProblem | undefined}
 */
export declare function entryProblem(shape: unknown, offsets: unknown, itemBytes: number): EntryProblem | undefined;
/**
 * The first breach of the rule that the data section (`dataSize` bytes) is covered exactly:
 * tensors in offset order, each starting where the one before ends, the first at 0 and the last at
 * the end of the file. This rules out tensors that share bytes and bytes that no tensor owns
 * (which could hide another file). Offsets are relative to the data section.
 * @template {LayoutEntry} E
 * @param {Iterable<E>} entries
 * @param {number} dataSize
 * @returns {LayoutProblem<E> | undefined}
 */
export declare function layoutProblem<E extends LayoutEntry>(entries: Iterable<E>, dataSize: number): LayoutProblem<E> | undefined;
/**
 * The first key an object of `json` repeats. JSON.parse keeps the last of duplicates silently, so a
 * file with a tensor named twice would read as if it had one; the format forbids duplicates, so
 * they are found in the text. `json` must be valid JSON (it has been parsed), which keeps this
 * scan simple: strings, brackets and commas are all it needs to track.
 * @param {string} json
 * @returns {DuplicateKey | undefined}
 */
export declare function firstDuplicateKey(json: string): DuplicateKey | undefined;
