import { main } from '../../src/cli/main.js';

/** What one CLI invocation printed and returned, run in-process. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `bertc ARGV` through the CLI's `main`, capturing stdout and stderr. */
export async function bertc(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
