/**
 * The README's TypeScript examples (its ```ts blocks) are code a user copies, so they must be right:
 * each typechecks as a module of a consumer — the project's strict settings, plus no unused imports —
 * against the package's own types, and each one that runs against the sandbox (it imports
 * `connect-okta-sso/sandbox`) is run, as a user would, importing the built package by its name.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Example {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

/** Every fenced block marked `ts` or `typescript`. */
function typescriptExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const fence = /^```(ts|typescript)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of markdown.matchAll(fence)) {
    examples.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[2] ?? '' });
  }
  return examples;
}

const examples = typescriptExamples(readme);
const sandboxExamples = examples.filter((e) => e.code.includes("from 'connect-okta-sso/sandbox'"));

/** Typecheck the examples as files at the project root (so `connect-okta-sso` resolves to its sources). */
function typecheck(files: Map<string, string>): string[] {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) => {
    const text = files.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, language, true)
      : getSourceFile(name, language, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems: string[] = [];
  for (const name of files.keys()) {
    const source = program.getSourceFile(name);
    for (const d of ts.getPreEmitDiagnostics(program, source)) {
      const where =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      problems.push(
        `${name.slice(root.length + 1)}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    }
  }
  return problems;
}

function runModule(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file],
      {
        cwd: root,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("the README's TypeScript examples", { timeout: 120_000 }, () => {
  it('are there: the use from code, against the sandbox, and the sandbox on its own', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(sandboxExamples.length).toBeGreaterThanOrEqual(2);
    const fromCode = readme.slice(readme.indexOf('## Use it from code'), readme.indexOf('### Two ways'));
    expect(typescriptExamples(fromCode).length).toBe(2);
  });

  it('typecheck as strict consumer modules, with no unused import', () => {
    const files = new Map(
      examples.map((e) => [join(root, `readme-example-line-${e.line}.ts`), `${e.code}\nexport {};\n`]),
    );
    expect(typecheck(files)).toEqual([]);
  });

  it('the unused-import check would catch an example that imports what it does not use', () => {
    const file = join(root, 'readme-example-unused.ts');
    const problems = typecheck(
      new Map([
        [
          file,
          "import { createContext, planConnectSso } from 'connect-okta-sso';\nvoid planConnectSso;\nexport {};\n",
        ],
      ]),
    );
    expect(problems.join('\n')).toContain("'createContext' is declared but its value is never read");
  });

  it('the sandbox examples run to the end, importing the built package by its name', async () => {
    for (const e of sandboxExamples) {
      const js = ts.transpileModule(e.code, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      }).outputText;
      // At the project root, so that `connect-okta-sso` resolves to this package (its "exports": dist/).
      const file = join(root, `.readme-example-${process.pid}-${e.line}.mjs`);
      writeFileSync(file, js);
      try {
        const r = await runModule(file);
        expect(r.stderr, `README line ${e.line}`).toBe('');
        expect(r.code, `README line ${e.line}: ${r.stderr}`).toBe(0);
        if (e.code.includes('provisionConnectSso')) {
          expect(r.stdout).toMatch(/^manual-action-required$/m);
          expect(r.stdout).toMatch(/^complete$/m);
          expect(r.stdout).toMatch(/ok: true/);
        }
      } finally {
        rmSync(file, { force: true });
      }
    }
  });
});
