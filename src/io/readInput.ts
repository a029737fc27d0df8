/**
 * The one way bertc reads a file a user names (IR sources, weights and inputs, accelerator JSON):
 * bounded before a byte is read. `readFileSync` on /dev/zero or a FIFO never returns, and on a
 * multi-gigabyte file by mistake it exhausts memory before any diagnostic could be printed; here
 * the file is checked to be a regular file of at most the limit for its kind first, and the read
 * itself stops one byte past what was found, so a file that grows meanwhile cannot take more.
 */
import * as fs from 'node:fs';
import { formatBytes } from './bytes.js';
import { InputFileError, tooLarge, type InputKind } from './limits.js';

export { INPUT_KINDS, InputFileError, sizeLimitMessage, type InputKind } from './limits.js';


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

/** Node's messages repeat the syscall and path; users only need the cause. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    ENOSPC: 'no space left on device',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ELOOP: 'too many levels of symbolic links',
    EAGAIN: 'it would block (a FIFO or device?)',
  };
  return (code !== undefined ? reasons[code] : undefined) ?? (e as Error).message;
}
