#!/usr/bin/env node
// The `gnlc` command (see launch.mjs: the built program when it is current, else the sources through tsx).
import { load } from './launch.mjs';

const { runCli } = await load('cli');
process.exitCode = await runCli(process.argv.slice(2));
