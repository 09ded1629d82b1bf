/**
 * The AWS SDK for JavaScript v3 prints a `NodeVersionSupportWarning` (nine lines on stderr) the first time
 * a client is built on Node < 22: its releases after the first week of January 2027 need Node 22. On a
 * Node version this package supports (package.json `engines`, with the SDK versions the README's
 * "Compatibility" section names), the notice is noise on every CLI command, so the CLI — and only the
 * CLI, never the library — drops that one warning, recognised by its name, and lets every other warning
 * through. On an older Node the warning stays.
 */

/** The oldest Node major this package supports (package.json `engines.node` is `>=20`). */
export const OLDEST_SUPPORTED_NODE = 20;

/** The name the AWS SDK gives the notice (today the first word of its message; perhaps its type later). */
const NAME = 'NodeVersionSupportWarning';

/** Whether `process.emitWarning(warning, …)` arguments are the AWS SDK's Node-version notice. */
export function isAwsSdkNodeVersionWarning(
  warning: unknown,
  typeOrOptions?: unknown,
  code?: unknown,
): boolean {
  if (warning instanceof Error) {
    if (warning.name === NAME || (warning as { code?: unknown }).code === NAME) return true;
  }
  if (typeOrOptions === NAME || code === NAME) return true;
  if (typeof typeOrOptions === 'object' && typeOrOptions !== null) {
    const options = typeOrOptions as { type?: unknown; code?: unknown };
    if (options.type === NAME || options.code === NAME) return true;
  }
  const message = typeof warning === 'string' ? warning : warning instanceof Error ? warning.message : '';
  return message.startsWith(`${NAME}:`);
}

/**
 * Drop the AWS SDK's Node-version notice from this process's warnings when Node is a version this package
 * supports. Returns whether the filter was installed. Other warnings are emitted unchanged.
 */
export function silenceAwsSdkNodeVersionWarning(proc: NodeJS.Process = process): boolean {
  const major = Number.parseInt(proc.versions.node.split('.')[0] ?? '', 10);
  if (!(major >= OLDEST_SUPPORTED_NODE)) return false;
  const emitWarning = proc.emitWarning;
  // emitWarning(warning, type?, code?, ctor?) or emitWarning(warning, options?).
  const filtered = function (this: NodeJS.Process, ...args: unknown[]) {
    if (isAwsSdkNodeVersionWarning(args[0], args[1], args[2])) return;
    return Reflect.apply(emitWarning, this, args);
  };
  proc.emitWarning = filtered as NodeJS.Process['emitWarning'];
  return true;
}
