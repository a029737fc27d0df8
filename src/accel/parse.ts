import type { Accelerator } from './accelerator.js';
import { AcceleratorError, validateAccelerator } from './validate.js';

/** An accelerator description from its JSON text: syntax errors located by line and column, then validated. */
export function parseAccelerator(text: string, file: string): Accelerator {
  return validateAccelerator(parseJson(text, file), file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's messages carry no position for some errors ("Unexpected token") and quote the whole
    // input for others, so the error is located by a scan of our own.
    const err = findJsonError(text);
    const where = err ? `${file}:${lineColumn(text, err.offset)}` : file;
    const what = err ? err.message : e instanceof Error ? e.message : String(e);
    throw new AcceleratorError([`${where}: invalid JSON: ${what}`]);
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

/** Thrown inside findJsonError to unwind the recursive scan at the first error. */
class Stop {
  constructor(readonly error: JsonSyntaxError) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The first syntax error in `text` by the JSON grammar (RFC 8259), or undefined when it is valid.
 * Only called after JSON.parse failed, so it only has to be right about where, not fast.
 */
function findJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const found = (): string => (i >= text.length ? 'end of input' : JSON.stringify(text[i]));
  const fail = (expected: string): never => {
    throw new Stop({ offset: i, message: `expected ${expected}, found ${found()}` });
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): void => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text[i]!;
      if (c < ' ') fail('a closing \'"\' (strings cannot contain raw control characters or line breaks)');
      if (c === '\\') {
        i++;
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 4;
        else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)');
      }
      i++;
    }
    if (i >= text.length) fail('a closing \'"\'');
    i++;
  };
  const sequence = (close: string, item: () => void, what: string): void => {
    i++; // the opening bracket
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`',' or '${close}' after ${what}`);
      i++;
      space();
    }
  };
  const member = (): void => {
    if (text[i] !== '"') fail('a double-quoted property name');
    string();
    space();
    if (text[i] !== ':') fail("':' after a property name");
    i++;
    value();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return sequence('}', member, 'a property value');
    if (c === '[') return sequence(']', value, 'an array element');
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
    if (literal) i += literal.length;
    else fail('a value');
  };
  try {
    value();
    space();
    if (i < text.length) fail('end of input after the value');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.error;
    throw e;
  }
}
