import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    // The library and the sandbox: dual ESM + CJS with type declarations for each.
    // `cdk/index` keeps aws-cdk-lib and constructs external (optional peer dependencies): only users of
    // that subpath load them.
    entry: {
      index: 'src/index.ts',
      'sandbox/index': 'src/sandbox/index.ts',
      'cloudformation/index': 'src/cloudformation/index.ts',
      'cdk/index': 'src/cdk/index.ts',
    },
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
  {
    // The custom resource's Lambda code: one self-contained, minified ES module in a directory of its
    // own (the CDK construct and the StackSets template deploy that directory as the function's code).
    // The AWS SDK v3 clients come from the Lambda runtime (Node.js 20+ ships them); the Okta SDK is
    // reduced to what the library calls (src/cloudformation/lambda/okta-slim.cjs).
    entry: { 'lambda/handler/index': 'src/cloudformation/lambda/index.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: false,
    splitting: false,
    dts: false,
    noExternal: [/^(?!@aws-sdk\/).*/],
    external: [/^@aws-sdk\//],
    // Resolve bundled packages as Node does: `main` before `module` (tsup puts `module` first). A
    // `require()` of a package whose `module` is an ES module otherwise gets its namespace object, not
    // its CommonJS export: node-fetch 2 under the Okta SDK's transport became "not a function", and
    // every Okta call of the deployed handler failed (test/cloudformation/bundle.test.ts).
    esbuildOptions(options) {
      options.mainFields = ['main', 'module'];
    },
    banner: {
      js: "import{createRequire as __cosRequire}from'node:module';const require=__cosRequire(import.meta.url);",
    },
    esbuildPlugins: [
      {
        name: 'okta-slim',
        setup(build) {
          build.onResolve({ filter: /^@okta\/okta-sdk-nodejs$/ }, () => ({
            path: resolve('src/cloudformation/lambda/okta-slim.cjs'),
          }));
        },
      },
    ],
  },
]);
