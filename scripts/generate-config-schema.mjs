#!/usr/bin/env node
/**
 * Write the configuration's JSON Schema (the `connectSsoConfigSchema` object of src/config/schema.ts) to
 * schema/connect-okta-sso.schema.json, the file editors point at (`# yaml-language-server: $schema=…`).
 * The object is the source: rerun this script (`npm run config-schema`) after changing it; a test
 * (test/config/schema.test.ts) fails while the file and the object differ. `--check` only compares.
 *
 * The TypeScript module is bundled in memory with esbuild (already installed as tsup's bundler).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'schema', 'connect-okta-sso.schema.json');

const bundle = await build({
  entryPoints: [join(root, 'src/config/schema.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'error',
});
const source = bundle.outputFiles[0].text;
const { connectSsoConfigSchema } = await import(
  `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
);

const text = `${JSON.stringify(connectSsoConfigSchema, null, 2)}\n`;
let current;
try {
  current = readFileSync(target, 'utf8');
} catch {
  current = undefined;
}
const same =
  current !== undefined && JSON.stringify(JSON.parse(current)) === JSON.stringify(connectSsoConfigSchema);

if (process.argv.includes('--check')) {
  if (!same) {
    console.error(`${target} differs from connectSsoConfigSchema: run npm run config-schema`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, text);
  // Format like every other file of the repository.
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', target],
    {
      stdio: 'inherit',
    },
  );
  console.log(`wrote ${target}${same ? ' (unchanged)' : ''}`);
}
