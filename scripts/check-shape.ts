/**
 * The shape rules the formatter cannot enforce (`npm run lint`, and part of `npm test`): no line of the code over
 * 120 characters, no file of the product (src/) over 300 lines. A long text is split where it reads well; a
 * long file is two concerns.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX_LINE = 120;
const MAX_FILE = 300;

const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs', '*.cjs'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((f) => f && !f.startsWith('node_modules/'));
const problems: string[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  lines.forEach((line, i) => {
    const length = [...line].length;
    if (length > MAX_LINE) problems.push(`${file}:${i + 1}: line of ${length} characters (at most ${MAX_LINE})`);
  });
  if (file.startsWith('src/') && lines.length > MAX_FILE) {
    problems.push(`${file}: ${lines.length} lines (at most ${MAX_FILE} in src/: split it by concern)`);
  }
}
if (problems.length) {
  process.stderr.write(`${problems.join('\n')}\n${problems.length} shape problem(s)\n`);
  process.exit(1);
}
