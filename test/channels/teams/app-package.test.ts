import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { validateTeamsFile } from '../../../scripts/package-teams.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PKG = path.join(ROOT, 'appPackage');
const read = (f: string) => JSON.parse(readFileSync(path.join(PKG, f), 'utf8'));
const manifest = read('manifest.json');

/** Decodes an 8-bit RGBA or RGB PNG into its size, colour type and pixels (all five row filters). */
function decodePng(buf: Buffer): {
  width: number;
  height: number;
  colorType: number;
  pixel: (x: number, y: number) => number[];
} {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8;
  let width = 0,
    height = 0,
    colorType = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], 'bit depth').toBe(8);
      colorType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      out[y * stride + x] = (v + [0, a, b, (a + b) >> 1, paeth][filter]!) & 0xff;
    }
  }
  return {
    width,
    height,
    colorType,
    pixel: (x, y) => [...out.subarray(y * stride + x * bpp, y * stride + x * bpp + bpp)],
  };
}

describe('the Teams app package', () => {
  const manifestAgainstSchema =
    'has a manifest valid against the newest numbered schema bundled by @microsoft/app-manifest (offline)';
  it(manifestAgainstSchema, async () => {
    const versions = readdirSync(path.join(ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams'))
      .filter((v) => /^v\d+\.\d+$/.test(v))
      .map((v) => v.slice(1))
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect(manifest.manifestVersion).toBe(versions.at(-1));
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(await validateTeamsFile(manifest)).toEqual([]);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('has names, descriptions and commands in the six languages, each file valid and complete', async () => {
    const files = manifest.localizationInfo.additionalLanguages.map((l: { languageTag: string; file: string }) => [
      l.languageTag,
      l.file,
    ]);
    expect(files.map(([tag]: string[]) => tag).sort()).toEqual(['ar', 'es', 'fr', 'ru', 'zh']);
    const keys = Object.keys(read(files[0][1])).sort();
    for (const [tag, file] of files) {
      const loc = read(file);
      expect(await validateTeamsFile(loc), file).toEqual([]);
      expect(Object.keys(loc).sort(), file).toEqual(keys);
      // Command titles are words the bot understands in that language.
      const common = JSON.parse(readFileSync(path.join(ROOT, 'locales', tag, 'common.json'), 'utf8'));
      const form = JSON.parse(readFileSync(path.join(ROOT, 'locales', tag, 'form.json'), 'utf8'));
      const words = [common.commands.help, form.commands.apply_exact, form.commands.status, form.commands.continue].map(
        (w: string) => w.split('|')[0],
      );
      expect(
        [0, 1, 2, 3].map((i) => loc[`bots[0].commandLists[0].commands[${i}].title`]),
        file,
      ).toEqual(words);
    }
    // The check does catch a wrong file.
    const broken = { ...read('fr.json'), 'name.short': 'x'.repeat(31) };
    expect(await validateTeamsFile(broken)).not.toEqual([]);
  });

  it('has a 192×192 colour icon and a 32×32 white outline on transparency', () => {
    const color = decodePng(readFileSync(path.join(PKG, manifest.icons.color)));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(readFileSync(path.join(PKG, manifest.icons.outline)));
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    let transparent = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a === 0) transparent++;
        else expect([r, g, b], `outline pixel ${x},${y}`).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.3);
    expect(transparent).toBeLessThan(32 * 32);
  });

  it('npm run package:teams zips it with the bot id from MicrosoftAppId, and says when it is missing', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'gnlc-teams-')), 'app.zip');
    const appId = '6f1b3c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c';
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams.ts', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, MicrosoftAppId: '', ...env },
        encoding: 'utf8',
      });
    const ok = run({ MicrosoftAppId: appId });
    expect(ok.status, ok.stderr).toBe(0);
    const zip = unzipSync(readFileSync(out));
    expect(Object.keys(zip).sort()).toEqual([
      'ar.json',
      'color.png',
      'es.json',
      'fr.json',
      'manifest.json',
      'outline.png',
      'ru.json',
      'zh.json',
    ]);
    const packed = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8'));
    expect(packed.bots[0].botId).toBe(appId);
    expect(packed.id).toBe(manifest.id);
    const missing = run({});
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/MicrosoftAppId is not set/);
    expect(run({ MicrosoftAppId: 'my-bot' }).stderr).toMatch(/MicrosoftAppId="my-bot": must be .* a GUID/);
  });
});
