/**
 * Builds the Teams app package (appPackage/build/gnlc-teams.zip): manifest.json with the bot id taken
 * from MicrosoftAppId, the localized strings and the two icons, checked against the manifest's schema
 * (bundled by @microsoft/app-manifest, so offline) before zipping.
 * Run: MicrosoftAppId=<guid> npm run package:teams [-- --out other.zip]
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { GUID } from '../src/channels/teams/config.ts';

const DIR = path.resolve(import.meta.dirname, '../appPackage');
const SCHEMAS = path.resolve(import.meta.dirname, '../node_modules/@microsoft/app-manifest/build/json-schemas/teams');

function fail(message: string): never {
  process.stderr.write(`package:teams: ${message}\n`);
  process.exit(1);
}

/** Escapes a `]` that closes no character class: legal in a JS regex, but not under the `u` flag ajv compiles with. */
function unicodeSafe(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[++i] ?? '');
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']' && !inClass) {
      out += '\\]';
      continue;
    } else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

/** Rewrites every `pattern` and `patternProperties` key of a schema with `unicodeSafe` (same meaning). */
function fixPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixPatterns);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => {
      if (k === 'pattern' && typeof v === 'string') return [k, unicodeSafe(v)];
      if (k === 'patternProperties' && v && typeof v === 'object')
        return [k, Object.fromEntries(Object.entries(v).map(([p, s]) => [unicodeSafe(p), fixPatterns(s)]))];
      return [k, fixPatterns(v)];
    }),
  );
}

/**
 * The schema a manifest or localization file names in `$schema`, read from the package's bundled copy (no
 * network). The official localization schemas contain `\b]` in a pattern, which ajv's unicode regexes
 * reject; those brackets are escaped, nothing else changes.
 */
function bundledSchema(url: string): object {
  const m = /\/json-schemas\/teams\/(v[\w.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/.exec(url);
  if (!m) throw new Error(`not a Teams schema URL: ${url}`);
  return fixPatterns(JSON.parse(readFileSync(path.join(SCHEMAS, m[1]!, m[2]!), 'utf8'))) as object;
}

type SchemaArg = Parameters<typeof AppManifestUtils.validateAgainstSchema>;

/** Problems of a manifest or localization file against the schema its `$schema` names (bundled copy, offline). */
export function validateTeamsFile(doc: { $schema: string }): Promise<string[]> {
  // One cast: the library types the schema as the manifest's, but validates any JSON schema with ajv.
  return AppManifestUtils.validateAgainstSchema(
    doc as unknown as SchemaArg[0],
    bundledSchema(doc.$schema) as SchemaArg[1],
  );
}

async function main(): Promise<void> {
  const outArg = process.argv.indexOf('--out');
  const out = outArg > 0 ? path.resolve(process.argv[outArg + 1] ?? '') : path.join(DIR, 'build', 'gnlc-teams.zip');
  // Only the App ID goes into the package; the secret is for the running bot, not for packaging.
  const appId = process.env.MicrosoftAppId?.trim() ?? '';
  if (!appId)
    fail(
      'MicrosoftAppId is not set: set it to the Microsoft App ID of your Azure Bot (a GUID), ' +
        'e.g. MicrosoftAppId=… npm run package:teams',
    );
  if (!GUID.test(appId))
    fail(
      `MicrosoftAppId=${JSON.stringify(appId)}: must be the bot's Microsoft App ID, ` +
        'a GUID such as 2f8a9d1e-0000-0000-0000-000000000000',
    );

  const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8'));
  manifest.bots[0].botId = appId;
  const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
  const problems = await validateTeamsFile(manifest);
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const loc = JSON.parse(text);
    problems.push(...(await validateTeamsFile(loc)).map((p) => `${file}: ${p}`));
    files[file] = Buffer.from(text);
  }
  if (problems.length) fail(`the manifest does not match its schema:\n  ${problems.join('\n  ')}`);
  for (const icon of [manifest.icons.color, manifest.icons.outline]) files[icon] = readFileSync(path.join(DIR, icon));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zipSync(files, { level: 9 }));
  process.stdout.write(
    `${path.relative(process.cwd(), out)}: bot ${appId}, ${Object.keys(files).length} files. ` +
      'Upload it in Teams: Apps → Manage your apps → Upload an app.\n',
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
