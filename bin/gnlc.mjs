#!/usr/bin/env node
// The `gnlc` command: loads the TypeScript sources through tsx (no separate build step) and runs the CLI.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const { runCli } = await import(fileURLToPath(new URL('../src/cli.ts', import.meta.url)));
process.exitCode = await runCli(process.argv.slice(2));
