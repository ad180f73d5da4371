import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BuildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/build.ts` as a user does (`npm run build -- <args>`), from the project root with the
 * pinned Node first on PATH, and returns its exit code and output.
 */
export function runBuild(args: string[], timeoutMs = 5 * 60_000): Promise<BuildRun> {
  const bin = path.join(projectRoot, 'node_modules/.bin');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0', NO_COLOR: '1' };
  // Settings that only make sense for the test run itself must not leak into the build.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_ENV') delete env[name];
  const child = spawn(path.join(bin, 'node'), [path.join(projectRoot, 'scripts/build.ts'), ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`build ${args.join(' ')} took longer than ${timeoutMs} ms\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
