// npm run build (also run by npm install): src/cli.ts and src/main.ts bundled into dist/ by esbuild, the packages
// left to node_modules, the lazily loaded parts (a command, a channel, the form's libraries) in chunks of their own
// still loaded when first needed. dist/.built carries the time the build started: a source changed since then
// makes bin/launch.mjs run the sources instead. `--out DIR` builds elsewhere (a folder at the project's top).
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const out = path.resolve(ROOT, values.out);
if (path.dirname(out) !== path.resolve(ROOT))
  throw new Error(`build: ${values.out} is not a folder at the project's top`);
const started = new Date();
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
await build({
  entryPoints: [path.join(ROOT, 'src/cli.ts'), path.join(ROOT, 'src/main.ts')],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
const stamp = path.join(out, '.built');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
