/**
 * The one way bertc reads a file a user names (IR sources, weights and inputs, accelerator JSON):
 * bounded before a byte is read. `readFileSync` on /dev/zero or a FIFO never returns, and on a
 * multi-gigabyte file by mistake it exhausts memory before any diagnostic could be printed; here
 * the file is checked to be a regular file of at most the limit for its kind first, and the read
 * itself stops one byte past what was found, so a file that grows meanwhile cannot take more.
 */
import { constants as bufferConstants } from 'node:buffer';
import * as fs from 'node:fs';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** A kind of input file: what messages call them, and the most bytes bertc reads of one. */
export interface InputKind {
  /** Plural: "bertc reads IR sources of at most 1 MiB". */
  readonly what: string;
  readonly maxBytes: number;
}

/**
 * The limits, documented in docs/diagnostics.md. An IR source of 1 MiB is over ten times the
 * flattened BERT-base (`bertc print --config base`, 80 KB); safetensors files are held whole in one
 * Buffer, whose size Node 20 caps at 4 GiB (BERT-large in f32 is 1.3 GB); an accelerator
 * description is a few hundred bytes.
 */
export const INPUT_KINDS = {
  irSource: { what: 'IR sources', maxBytes: 1 * MiB },
  safetensors: { what: 'safetensors files', maxBytes: Math.min(4 * GiB, bufferConstants.MAX_LENGTH) },
  accelerator: { what: 'accelerator descriptions', maxBytes: 1 * MiB },
} as const satisfies Record<string, InputKind>;

/**
 * Why a file could not be read, as one line naming it. `code` is the diagnostic it becomes: E0027
 * for a file over its limit, E0025 for everything else.
 */
export class InputFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly code: 'E0025' | 'E0027',
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

/** The whole file, after checking that it is a regular file within `kind`'s limit. */
export function readInput(file: string, kind: InputKind): Buffer {
  const cannot = (why: string) => new InputFileError(`cannot read ${file}: ${why}`, file, 'E0025');
  // Checked before opening: opening a FIFO for reading blocks until a writer appears.
  const before = statOrThrow(() => fs.statSync(file), cannot);
  checkStat(file, before, kind, cannot);
  let fd: number;
  try {
    // Non-blocking in case the path was replaced by a FIFO since the stat; fstat below catches it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw cannot(fsReason(e));
  }
  try {
    const st = statOrThrow(() => fs.fstatSync(fd), cannot);
    checkStat(file, st, kind, cannot);
    return readExactly(fd, st.size, file, kind, cannot);
  } finally {
    fs.closeSync(fd);
  }
}

/** A file's text as UTF-8, malformed sequences replaced by U+FFFD (as `readFileSync(f, 'utf8')` does). */
export function readInputText(file: string, kind: InputKind): string {
  return readInput(file, kind).toString('utf8');
}

function statOrThrow(stat: () => fs.Stats, cannot: (why: string) => InputFileError): fs.Stats {
  try {
    return stat();
  } catch (e) {
    throw cannot(fsReason(e));
  }
}

function checkStat(file: string, st: fs.Stats, kind: InputKind, cannot: (why: string) => InputFileError): void {
  if (!st.isFile()) throw cannot(`it is ${fileType(st)}, not a regular file`);
  if (st.size > kind.maxBytes) throw tooLarge(file, kind, `is ${formatBytes(st.size)}`);
}

function tooLarge(file: string, kind: InputKind, found: string): InputFileError {
  return new InputFileError(`${file} ${found}; bertc reads ${kind.what} of at most ${formatBytes(kind.maxBytes)}`, file, 'E0027');
}

/** The message for a file of `size` bytes over `kind`'s limit, for text that did not come through `readInput`. */
export function sizeLimitMessage(file: string, kind: InputKind, size: number): string {
  return tooLarge(file, kind, `is ${formatBytes(size)}`).message;
}

/**
 * Reads the `size` bytes fstat reported. A file that shrank meanwhile yields what is there; one
 * that grew is refused rather than read on, since it may be a log or a device-backed file that
 * never ends.
 */
function readExactly(fd: number, size: number, file: string, kind: InputKind, cannot: (why: string) => InputFileError): Buffer {
  const out = Buffer.allocUnsafe(size);
  let got = 0;
  try {
    while (got < size) {
      const n = fs.readSync(fd, out, got, size - got, null);
      if (n === 0) return out.subarray(0, got);
      got += n;
    }
    if (fs.readSync(fd, Buffer.alloc(1), 0, 1, null) > 0) {
      if (size >= kind.maxBytes) throw tooLarge(file, kind, `grew past ${formatBytes(size)} while being read`);
      throw cannot(`it grew while being read (from ${formatBytes(size)})`);
    }
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw cannot(fsReason(e));
  }
  return out;
}

function fileType(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** `512 bytes`, `1 MiB`, `10,000,000 bytes (9.5 MiB)`: exact, with a readable size where it helps. */
export function formatBytes(n: number): string {
  const exact = `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
  const unit = n >= GiB ? (['GiB', GiB] as const) : n >= MiB ? (['MiB', MiB] as const) : n >= KiB ? (['KiB', KiB] as const) : undefined;
  if (!unit) return exact;
  const scaled = n / unit[1];
  if (Number.isInteger(scaled)) return `${scaled} ${unit[0]}`;
  return `${exact} (${scaled.toFixed(1)} ${unit[0]})`;
}

/** Node's messages repeat the syscall and path; users only need the cause. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    ENOSPC: 'no space left on device',
    ELOOP: 'too many levels of symbolic links',
    EAGAIN: 'it would block (a FIFO or device?)',
  };
  return (code !== undefined ? reasons[code] : undefined) ?? (e as Error).message;
}
