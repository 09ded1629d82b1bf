/** The package version, for `--version` (on its own, or on any command). */

declare const PACKAGE_VERSION: string | undefined;

/** The package version (built in by the bundler; read from package.json when run from the sources). */
export async function version(): Promise<string> {
  if (typeof PACKAGE_VERSION === 'string') return PACKAGE_VERSION;
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** What `--version` prints: the version, or with `--json` `{"command":"version","version":…}`. */
export async function versionText(json: boolean): Promise<string> {
  const v = await version();
  return json ? `${JSON.stringify({ command: 'version', version: v })}\n` : `${v}\n`;
}
