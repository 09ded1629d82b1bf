import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    // The library and the sandbox: dual ESM + CJS with type declarations for each.
    entry: { index: 'src/index.ts', 'sandbox/index': 'src/sandbox/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: the code is not minified, and maps would triple the tarball.
    sourcemap: false,
    clean: true,
    target: 'node20',
    splitting: false,
    shims: true,
  },
  {
    // The CLI and the demo are executables: ESM only, no declarations. They load the library and the
    // sandbox from the built entry points beside them instead of bundling a second copy.
    entry: { 'cli/main': 'src/cli/main.ts', demo: 'src/demo.ts' },
    external: [/^\.{1,2}\/((sandbox\/)?index|demo)\.js$/],
    format: ['esm'],
    sourcemap: false,
    target: 'node20',
    splitting: false,
    banner: { js: '#!/usr/bin/env node' },
    define: { PACKAGE_VERSION: JSON.stringify(version) },
  },
]);
