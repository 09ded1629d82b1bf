// A stand-in for the Lambda Node.js runtime, one invocation per process (a cold start each time):
//
//   node lambda-runtime.mjs <task-root>/index.mjs <export> <timeout-ms>   (the event as JSON on stdin)
//
// It imports the handler module, calls `export(event, context)` with a context whose deadline is
// <timeout-ms> after the call starts, writes `{ ok, value | errorType, errorMessage }` as JSON to fd 3,
// and exits as soon as the handler settles: Lambda freezes the process then, so nothing the handler left
// running in the background may matter. At the deadline the process is killed, as Lambda kills it
// (`Sandbox.Timedout`). The handler's console output is its CloudWatch log (stdout).
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, exportName, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg);

function finish(result, code) {
  writeSync(3, JSON.stringify(result));
  process.exit(code);
}

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;

let fn;
try {
  const mod = await import(pathToFileURL(modulePath).href);
  fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`${modulePath} has no export '${exportName}'`);
} catch (error) {
  finish(
    { ok: false, errorType: 'Runtime.ImportModuleError', errorMessage: String(error?.stack ?? error) },
    2,
  );
}

const deadline = Date.now() + timeoutMs;
setTimeout(() => {
  finish(
    { ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutMs} ms` },
    3,
  );
}, timeoutMs);
const context = {
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  invokedFunctionArn: process.env.TEST_INVOKED_FUNCTION_ARN,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  awsRequestId: randomUUID(),
};
try {
  const value = await fn(JSON.parse(input), context);
  finish({ ok: true, value: value ?? null, leftMs: deadline - Date.now() }, 0);
} catch (error) {
  finish({ ok: false, errorType: error?.name ?? 'Error', errorMessage: String(error?.message ?? error) }, 0);
}
