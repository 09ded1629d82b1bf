/**
 * The library and the sandbox, loaded only when a command needs them. `--help` and `--version` never
 * load either: the library pulls in the AWS SDK clients, and the sandbox a whole HTTP emulator.
 *
 * The specifiers are relative to this directory, which is also where the built CLI lives
 * (`dist/cli/main.js`): the build keeps them as imports of the built `dist/index.js` and
 * `dist/sandbox/index.js` instead of bundling a second copy. So the CLI never imports a value from the
 * library statically — a second copy of the error classes would break `instanceof` (the CLI tells errors
 * apart by their `code`).
 */

export type Library = typeof import('../index.js');
export type SandboxModule = typeof import('../sandbox/index.js');

let library: Promise<Library> | undefined;
let sandbox: Promise<SandboxModule> | undefined;

/** `connect-okta-sso`, on first use. */
export function loadLibrary(): Promise<Library> {
  library ??= import('../index.js');
  return library;
}

/** `connect-okta-sso/sandbox`, on first use. */
export function loadSandbox(): Promise<SandboxModule> {
  sandbox ??= import('../sandbox/index.js');
  return sandbox;
}

/** Run the narrated demo (`dist/demo.js` beside the built CLI; importing it runs it). */
export function runDemo(): Promise<unknown> {
  return import('../demo.js');
}

/**
 * The built demo script's path, to run it as a child process. Meaningful in the built CLI only (where
 * this module is part of `dist/cli/main.js`); from the sources it names `src/demo.js`, which is not there.
 */
export function demoScriptUrl(): URL {
  return new URL('../demo.js', import.meta.url);
}
