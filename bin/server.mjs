#!/usr/bin/env node
// The server and terminal chat of `npm start` (src/main.ts; see launch.mjs: built or from the sources).
import { load } from './launch.mjs';

await load('main');
