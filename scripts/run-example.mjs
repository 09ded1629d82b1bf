#!/usr/bin/env node
/**
 * `npm run example -- <name> [args…]`: run examples/<name>.ts the way a user of the package would.
 *
 * Node 20 cannot run TypeScript, so the examples are transpiled (TypeScript's own transpileModule, no
 * type check: `npm run typecheck` does that) into a temporary project whose node_modules links
 * `connect-okta-sso` to this repository (resolved through package.json "exports" to the built dist/, as
 * from npm), the package's dependencies and the peers a user brings (the AWS SDK clients). `npm run
 * example` builds dist/ first when it is older than src/ (scripts/ensure-built.mjs).
 *
 * Where an example runs is its own business: a sandbox it starts itself, unless
 * CONNECT_OKTA_SSO_TARGET=real (see examples/_target.ts).
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const examples = join(root, 'examples');
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(examples)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run example -- <name>\nexamples: ${available.join(', ')}\n`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'sandbox', 'index.js'))) {
  process.stderr.write(
    'dist/ is missing: run `npm run build` (or `npm run example`, which builds it) first\n',
  );
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'connect-okta-sso-examples-'));
try {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(examples, file), 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
  }
  // A consumer's node_modules: the package itself, its dependencies and the peers a consumer installs
  // (the AWS SDK clients, which examples also use directly, e.g. to build a "console-made" setup).
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const link = (from, to) => {
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  };
  link(root, join(dir, 'node_modules', pkg.name));
  for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]) {
    if (existsSync(join(root, 'node_modules', dep))) {
      link(join(root, 'node_modules', dep), join(dir, 'node_modules', dep));
    }
  }

  const child = spawn(process.execPath, ['--enable-source-maps', join(dir, `${name}.js`), ...args], {
    stdio: 'inherit',
  });
  const code = await new Promise((resolve) => {
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  process.exitCode = code;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
