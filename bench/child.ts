/**
 * An app under test in its own process (as in production), started by the Slack and Teams benches: resolves once
 * it prints the port it listens on. `cpu()` asks it for the CPU time it has used (ms), for CPU per turn.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PROFILE_FLAGS } from './size.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface Child {
  port: number;
  /** CPU time (user + system) the process has used so far, ms. */
  cpu(): Promise<number>;
  close(): void;
}

/** Starts `bench/<script> ...args`. */
export async function startChild(script: string, args: string[]): Promise<Child> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...PROFILE_FLAGS, '--import', 'tsx', path.join(ROOT, script), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} ${args[0]} exited with ${code}`)));
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
  });
  return {
    port,
    cpu: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve(Number(m)));
        child.send('cpu');
      }),
    close: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

/** In the app under test: prints the port, answers `cpu()`, exits normally when ended (a CPU profile is written). */
export function serveChild(port: number): void {
  process.stdout.write(`${port}\n`);
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.((user + system) / 1000);
  });
  // The IPC channel must not keep the process alive on its own.
  process.channel?.unref();
  process.once('SIGTERM', () => process.exit(0));
}
