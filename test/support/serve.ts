/** The repository's local servers (examples/webgpu/serve.mjs, playground/serve.mjs) started as a user starts them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `node SCRIPT ARGS...` from the repository root: resolves with the URL it prints first. */
export function startServer(script: string, args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before printing its URL: ${stderr}`)));
  });
}
