// The custom resource's Lambda bundle: its size, and its cold-start import time against importing the
// Okta SDK alone (goals: <= 1.5 MB, <= 0.5x). Each import runs in a fresh Node process; medians of 7.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bundle = join(root, 'dist', 'lambda', 'handler', 'index.mjs');
const size = statSync(bundle).size;

function coldMs(code) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return Number(out.toString().trim());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = 7;
const handler = [];
const okta = [];
for (let i = 0; i < runs; i++) {
  handler.push(
    coldMs(
      `const t=performance.now(); await import(${JSON.stringify(bundle)}); console.log(performance.now()-t)`,
    ),
  );
  okta.push(
    coldMs(
      `import { createRequire } from 'node:module'; const r=createRequire(${JSON.stringify(join(root, 'package.json'))}); const t=performance.now(); r('@okta/okta-sdk-nodejs'); console.log(performance.now()-t)`,
    ),
  );
}
const h = median(handler);
const o = median(okta);
console.log('custom resource Lambda bundle (dist/lambda/handler/index.mjs)');
console.log(
  `  size                      ${(size / 1024 / 1024).toFixed(2)} MB   (goal <= 1.5 MB: ${size <= 1.5 * 1024 * 1024 ? 'met' : 'missed'})`,
);
console.log(`  cold import, handler       ${h.toFixed(0)} ms (median of ${runs})`);
console.log(`  cold import, Okta SDK only ${o.toFixed(0)} ms (median of ${runs})`);
console.log(
  `  ratio                      ${(h / o).toFixed(2)}   (goal <= 0.50: ${h / o <= 0.5 ? 'met' : 'missed'})`,
);
