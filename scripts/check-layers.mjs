#!/usr/bin/env node
/**
 * The layering and no-cycle check (CI runs it as `npm run check:layers`; docs/architecture.md explains
 * the layers). Reads every import of src/ (static, `export … from`, and `import()`), resolves the
 * relative ones to files, and fails when
 *   - a file imports from a layer it may not import from (the table below), or
 *   - the imports form a cycle (any cycle, type-only imports included: a cycle of types is still a
 *     knot in the design).
 * No dependencies: a regular expression over biome-formatted TypeScript finds the specifiers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

/** The layer of a file, by its folder under src/. */
function layerOf(file) {
  const rel = relative(src, file).split('/');
  if (rel.length === 1) return 'entry'; // index.ts, demo.ts
  return rel[0];
}

/**
 * What each layer may import (besides itself). Lower layers know nothing of higher ones:
 * core < config < providers < resources < workflows < entry points (index, cli, cloudformation, cdk).
 * saml is pure SAML (no AWS, no I/O): it sits beside config. The sandbox emulates AWS and Okta: it may
 * use core and the SAML signing/parsing primitives to *issue* what Okta issues, never the library's
 * checks (it grades sign-ins with its own code).
 */
const ALLOWED = {
  core: [],
  config: ['core'],
  saml: ['core'],
  providers: ['core', 'config'],
  resources: ['core', 'config', 'providers', 'saml'],
  workflows: ['core', 'config', 'providers', 'saml', 'resources'],
  sandbox: ['core', 'sandbox-saml'],
  cli: ['core', 'config', 'providers', 'saml', 'resources', 'workflows', 'entry', 'sandbox-entry'],
  cloudformation: ['core', 'config', 'providers', 'saml', 'resources', 'workflows'],
  cdk: ['core', 'config', 'cloudformation'],
  entry: ['core', 'config', 'providers', 'saml', 'resources', 'workflows', 'sandbox-entry', 'cli'],
};

/** The SAML modules the sandbox may use: issuing (sign, xmldsig) and reading metadata documents. */
const SANDBOX_SAML = new Set(['saml/sign.ts', 'saml/xmldsig.ts', 'saml/metadata.ts']);

function allowed(fromLayer, toFile) {
  const to = layerOf(toFile);
  if (to === fromLayer) return true;
  const rules = ALLOWED[fromLayer] ?? [];
  if (rules.includes(to)) return true;
  const rel = relative(src, toFile);
  if (rules.includes('sandbox-saml') && SANDBOX_SAML.has(rel)) return true;
  if (rules.includes('sandbox-entry') && rel === 'sandbox/index.ts') return true;
  return false;
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm;

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const files = walk(src);
const graph = new Map();
const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1];
    const target = resolveImport(file, spec);
    if (!target) continue; // JSON model data and the like
    if (!target.startsWith(src)) continue;
    targets.add(target);
    const layer = layerOf(file);
    if (!allowed(layer, target)) {
      problems.push(
        `layer: ${relative(root, file)} (${layer}) imports ${relative(root, target)} (${layerOf(target)})`,
      );
    }
  }
  graph.set(file, targets);
}

// Cycles: Tarjan's strongly connected components; every component of more than one file is a cycle.
let index = 0;
const indices = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function strongConnect(v) {
  indices.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indices.has(w)) {
      strongConnect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v), indices.get(w)));
    }
  }
  if (low.get(v) === indices.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfLoop = component.length === 1 && (graph.get(v) ?? new Set()).has(v);
    if (component.length > 1 || selfLoop) {
      problems.push(`cycle: ${component.map((f) => relative(root, f)).join(' ↔ ')}`);
    }
  }
}
for (const file of files) if (!indices.has(file)) strongConnect(file);

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s) in ${files.length} files:`);
  for (const p of problems) console.error(`  ${p}`);
  console.error('See docs/architecture.md for what each folder may import.');
  process.exit(1);
}
console.log(`check-layers: ${files.length} files, layering holds, no import cycle.`);
