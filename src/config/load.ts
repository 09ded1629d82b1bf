/**
 * `loadConfig`: read a YAML (`.yaml`, `.yml`) or JSON (`.json`) config file, then `validateConfig`.
 *
 * Parse errors and validation errors point into the file (`sso.yaml:12:5: users[3].login: …`). YAML is
 * parsed safely: YAML 1.2 core schema only (no custom or language tags: an unknown tag is an error, not a
 * string), one document, unique keys, no `<<` merge keys, and a cap on alias expansion against "billion
 * laughs" documents. No message quotes the file's text, so a token in the file cannot leak through one.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Document, LineCounter, Node } from 'yaml';
import { ConfigError, listProblems } from '../core/errors.js';
import type { ResolvedConfig } from './types.js';
import { type ValidateConfigOptions, validateConfig } from './validate.js';

/** Options of {@link loadConfig}: those of {@link validateConfig}. */
export type LoadConfigOptions = ValidateConfigOptions;

type Yaml = typeof import('yaml');
let yamlModule: Promise<Yaml> | undefined;
/** The YAML parser, loaded on first use: importing the library stays cheap for those who never read a file. */
const loadYaml = (): Promise<Yaml> => {
  yamlModule ??= import('yaml');
  return yamlModule;
};

/** Largest config file read (a config with tens of thousands of users is a few MB). */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** yaml's cap on alias expansion (aliases of documents that themselves hold aliases). */
const MAX_ALIAS_COUNT = 100;

type Position = { line: number; col: number };
type Problem = { position?: Position | undefined; message: string };

/** A ConfigError about the file itself: every message prefixed `file:line:col:` like a compiler's. */
function fileError(file: string, problems: readonly Problem[]): ConfigError {
  const where = (p: Problem) => (p.position ? `${file}:${p.position.line}:${p.position.col}` : file);
  const error = ConfigError.of(
    problems.map((p) => ({
      field: file,
      message: p.position ? `${p.position.line}:${p.position.col}: ${p.message}` : p.message,
    })),
  );
  error.message =
    problems.length === 1
      ? `${where(problems[0] as Problem)}: ${problems[0]?.message}`
      : listProblems(`${problems.length} problems in ${file}:`, problems, (p) => `${where(p)}: ${p.message}`);
  return error;
}

/**
 * Where the first JSON syntax error is, and what it is, by a strict scan of the JSON grammar (V8's
 * `JSON.parse` messages carry no position for some errors and quote the text for others).
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  class Stop {
    constructor(
      readonly offset: number,
      readonly message: string,
    ) {}
  }
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
    if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      fail('comments are not allowed in JSON (use a .yaml file for comments)');
    }
  };
  const what = () => (i >= text.length ? 'the end of the file' : `'${text[i]}'`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${what()}: expected a value`);
  };
  const string = () => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character in a string (write it escaped, e.g. \\n)');
      if (c === 0x5c) {
        const next = text[i + 1] ?? '';
        if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('invalid escape in a string');
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail(`unexpected ${what()}: expected a value`);
    i += (m as RegExpExecArray)[0].length;
  };
  /** An object or array from its opening bracket: elements separated by `,`, no trailing `,`. */
  const container = (close: '}' | ']', element: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      element();
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        if (text[i] === close) fail("a trailing ',' is not allowed in JSON");
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`unexpected ${what()}: expected ',' or '${close}'`);
    }
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      container('}', () => {
        ws();
        if (text[i] !== '"') fail(`unexpected ${what()}: expected a property name in double quotes`);
        string();
        ws();
        if (text[i] !== ':') fail(`unexpected ${what()}: expected ':' after the property name`);
        i++;
        value(depth + 1);
      });
      return;
    }
    if (c === '[') {
      container(']', () => value(depth + 1));
      return;
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${what()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: error.message };
    throw error;
  }
}

/** A parsed file: its value, and where in the file a config path (`users[3].login`) is. */
interface ParsedFile {
  value: unknown;
  locate(field: string): Position | undefined;
}

/** `users[3].login` → `['users', 3, 'login']`; `config` → `[]`. */
function fieldSegments(field: string): (string | number)[] | undefined {
  if (field === 'config') return [];
  const segments: (string | number)[] = [];
  const token = /([A-Za-z_$][A-Za-z0-9_$]*)|\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < field.length) {
    token.lastIndex = at;
    const m = token.exec(field);
    if (!m || (m[1] !== undefined && at > 0)) return undefined;
    if (m[1] !== undefined || m[2] !== undefined) segments.push((m[1] ?? m[2]) as string);
    else if (m[3] !== undefined) segments.push(Number(m[3]));
    else segments.push(JSON.parse(m[4] as string) as string);
    at = token.lastIndex;
  }
  return segments;
}

function locator(Y: Yaml, doc: Document, lines: LineCounter): (field: string) => Position | undefined {
  return (field) => {
    const segments = fieldSegments(field);
    if (!segments) return undefined;
    let node: unknown = doc.contents;
    let mark: Node | undefined = (doc.contents as Node | null) ?? undefined;
    for (const segment of segments) {
      if (Y.isAlias(node)) node = node.resolve(doc);
      if (Y.isMap(node) && typeof segment === 'string') {
        const pair = node.items.find(
          (p) => Y.isPair(p) && Y.isScalar(p.key) && String(p.key.value) === segment,
        );
        if (!pair) break;
        mark = (pair.key as Node | null) ?? mark;
        node = pair.value;
      } else if (Y.isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        mark = item as Node;
        node = item;
      } else break;
    }
    const offset = mark?.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset);
  };
}

function parseYaml(Y: Yaml, file: string, text: string): ParsedFile {
  const lines = new Y.LineCounter();
  const doc = Y.parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    schema: 'core',
    customTags: [],
    resolveKnownTags: false,
    merge: false,
    uniqueKeys: true,
    strict: true,
  });
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    position: lines.linePos(e.pos[0]),
    message:
      e.code === 'TAG_RESOLVE_FAILED'
        ? 'a tag (!name or !!type): tags are not allowed in a config file'
        : // Some of yaml's messages end with the offending source text: never repeat the file's text.
          e.message.replace(/:\s*".*$/s, '').replace(/(extra characters):.*$/s, '$1'),
  }));
  if (problems.length > 0) throw fileError(file, problems);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let position: Position | undefined;
    Y.visit(doc, {
      Alias(_, node) {
        if (position === undefined && !node.resolve(doc) && node.range)
          position = lines.linePos(node.range[0]);
      },
    });
    throw fileError(file, [{ position, message: error instanceof Error ? error.message : String(error) }]);
  }
  return { value, locate: locator(Y, doc, lines) };
}

function parseJson(Y: Yaml, file: string, text: string): ParsedFile {
  const lines = new Y.LineCounter();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const found = jsonSyntaxError(text);
    if (found) {
      const position = { line: 1, col: 1 };
      for (let k = 0; k < found.offset && k < text.length; k++) {
        if (text[k] === '\n') {
          position.line++;
          position.col = 1;
        } else position.col++;
      }
      throw fileError(file, [{ position, message: found.message }]);
    }
    // V8 quotes the text in some messages: keep only the kind of error.
    const message =
      error instanceof Error ? error.message.replace(/,? ".*$/s, '').replace(/ in JSON at.*$/s, '') : '';
    throw fileError(file, [{ message: `not valid JSON (${message})` }]);
  }
  // JSON is YAML 1.2: the YAML parser finds duplicate keys (JSON.parse keeps the last silently) and
  // gives positions for validation errors.
  const doc = Y.parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    schema: 'core',
    uniqueKeys: true,
  });
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (duplicates.length > 0) {
    throw fileError(
      file,
      duplicates.map((e) => ({
        position: lines.linePos(e.pos[0]),
        message: 'duplicate key (keys must be unique)',
      })),
    );
  }
  return { value, locate: doc.errors.length === 0 ? locator(Y, doc, lines) : () => undefined };
}

/**
 * Parse config text as YAML or JSON, with the same checks as {@link loadConfig} but without validation.
 * `file` names the source in messages.
 *
 * @throws {ConfigError} a syntax error, duplicate key, tag, alias bomb, or a document that is not a mapping.
 */
export async function parseConfigText(
  text: string,
  format: 'yaml' | 'json',
  file = `config.${format}`,
): Promise<unknown> {
  return parseText(await loadYaml(), text, format, file).value;
}

function parseText(Y: Yaml, text: string, format: 'yaml' | 'json', file: string): ParsedFile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw fileError(file, [{ message: 'the file is empty' }]);
  const parsed = format === 'json' ? parseJson(Y, file, body) : parseYaml(Y, file, body);
  const { value } = parsed;
  if (value === null || value === undefined) throw fileError(file, [{ message: 'the file is empty' }]);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw fileError(file, [
      {
        position: { line: 1, col: 1 },
        message: `the file must hold a mapping of settings (region, instance, okta, apps, …), not ${
          Array.isArray(value) ? 'a list' : `a ${typeof value}`
        }`,
      },
    ]);
  }
  return parsed;
}

/**
 * Read, parse and validate a config file: YAML (`.yaml`, `.yml`) or JSON (`.json`), chosen by extension.
 * The Okta token is read from `OKTA_API_TOKEN` (or from `${NAME}` in `okta.token`), and comes out as a
 * `Secret`.
 *
 * @throws {ConfigError} the file cannot be read, does not parse (`sso.yaml:12:5: …`), or is not a valid
 *   configuration (every problem, each with its path and, when known, its line and column).
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const extension = extname(path).toLowerCase();
  const format =
    extension === '.yaml' || extension === '.yml' ? 'yaml' : extension === '.json' ? 'json' : undefined;
  if (!format) {
    throw new ConfigError(
      path,
      `unknown config file type '${extension || '(none)'}': expected .yaml, .yml or .json`,
    );
  }
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(
        path,
        `the config file does not exist (no such file); create one with connect-okta-sso init --out ${path}`,
        undefined,
        { cause: error },
      );
    }
    const why = code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
    throw new ConfigError(path, `cannot read the config file (${why})`, undefined, { cause: error });
  }
  if (buffer.length > MAX_FILE_BYTES) {
    throw new ConfigError(path, `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new ConfigError(path, 'the file is not UTF-8 text');
  }
  const parsed = parseText(await loadYaml(), text, format, path);
  try {
    return validateConfig(parsed.value, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Only the problems the message lists are located (the message shows the first few; `issues` has all).
    const line = (issue: { field: string; message: string }) => {
      const position = parsed.locate(issue.field);
      return `${position ? `${path}:${position.line}:${position.col}` : path}: ${issue.field}: ${issue.message}`;
    };
    const { issues } = error;
    error.message =
      issues.length === 1
        ? line(issues[0] as { field: string; message: string })
        : listProblems(`${issues.length} problems in ${path}:`, issues, line);
    throw error;
  }
}
