/**
 * The `connect-okta-sso` executable: the process around {@link dispatch}. Each command is a thin layer
 * over the library, in its own module under `commands/`, loaded only when it runs.
 */
import { dispatch } from './dispatch.js';
import { EXIT } from './errors.js';
import { silenceAwsSdkNodeVersionWarning } from './node-warning.js';

export { EXIT } from './errors.js';

// The AWS SDK's "Node 22 from 2027" notice, on every command: dropped (only it) on a supported Node.
silenceAwsSdkNodeVersionWarning();

/** Ctrl-C / SIGTERM abort the running command (it stops cleanly); a second Ctrl-C exits at once. */
const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(Object.assign(new Error(`interrupted by ${signal}`), { name: 'AbortError' }));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

dispatch(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
})
  .then((code) => {
    process.exitCode = controller.signal.aborted && code !== EXIT.ok ? 130 : code;
  })
  .catch((error: unknown) => {
    // Commands explain their own errors; this is a bug in the CLI itself.
    process.stderr.write(`connect-okta-sso: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failure;
  });
