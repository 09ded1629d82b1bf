/**
 * Where a command's output goes, injectable so each command can be tested without a process: stdout
 * carries the result (human text, or with `--json` exactly one JSON document), stderr carries progress,
 * logs, prompts and errors. Every byte written passes through a {@link Redactor}.
 */

/** A writable stream as the commands use it (`process.stdout` fits). */
export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  /** Terminal width, when a TTY. */
  readonly columns?: number | undefined;
}

/** A readable stream as the commands use it (`process.stdin` fits). */
export interface InStream extends AsyncIterable<string | Buffer> {
  readonly isTTY?: boolean | undefined;
  /** TTY only: raw mode, for reading a secret without echo. */
  setRawMode?(mode: boolean): unknown;
  pause?(): unknown;
  unref?(): unknown;
}

/** Everything a command touches of its process. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  /** The environment the command reads credentials and settings from. */
  env: Record<string, string | undefined>;
  /** Relative paths are resolved against this. */
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM: long commands stop cleanly. */
  signal?: AbortSignal | undefined;
}

const REDACTED = '[redacted]';

/** Environment variables whose values are secrets, whatever the command. */
export const SECRET_ENV = [
  'OKTA_API_TOKEN',
  'OKTA_CLIENT_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
] as const;

/**
 * Replaces every known secret value (and anything shaped like a credential) with `[redacted]`. Known
 * values come from the environment and from secrets the command reads (a token on stdin, a private key
 * file); shapes catch what no list can (an `SSWS` or `Bearer` header, a PEM private key).
 */
export class Redactor {
  private readonly values = new Set<string>();

  constructor(env: Record<string, string | undefined> = {}) {
    for (const name of SECRET_ENV) this.add(env[name]);
  }

  /** Remember a secret (and its JSON-escaped form, and the lines of a multi-line secret). */
  add(value: string | undefined): void {
    if (value === undefined) return;
    const trimmed = value.trim();
    if (trimmed.length < 6) return;
    this.values.add(trimmed);
    const escaped = JSON.stringify(trimmed).slice(1, -1);
    if (escaped !== trimmed) this.values.add(escaped);
    for (const line of trimmed.split(/\r?\n/)) {
      const l = line.trim();
      if (l.length >= 16 && !/^-----/.test(l)) this.values.add(l);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out
      .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED)
      .replace(/\b(SSWS|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`)
      .replace(
        /("?(?:secretAccessKey|SecretAccessKey|aws_secret_access_key|sessionToken|token)"?\s*[:=]\s*"?)(?!\[redacted\])[A-Za-z0-9/+=._-]{16,}/g,
        `$1${REDACTED}`,
      );
  }
}

/** The streams of one command run, redacted, with `--json` discipline. */
export class Output {
  constructor(
    readonly io: Io,
    readonly redactor: Redactor,
    /** `--json`: human text on stdout is suppressed; {@link Output.json} writes the one document. */
    readonly jsonMode: boolean,
  ) {}

  /** Human result text on stdout (nothing in `--json` mode). */
  print(text = ''): void {
    if (this.jsonMode) return;
    this.io.stdout.write(this.redactor.redact(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** Progress, logs, prompts and errors: stderr, in every mode. */
  err(text = ''): void {
    this.io.stderr.write(this.redactor.redact(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** Raw (already formatted) text to stderr, redacted; no newline added (prompts, cursor movement). */
  errRaw(text: string): void {
    this.io.stderr.write(this.redactor.redact(text));
  }

  /** The one JSON document of `--json` mode. */
  json(document: unknown): void {
    this.io.stdout.write(`${this.redactor.redact(JSON.stringify(document, jsonReplacer, 2))}\n`);
  }

  get stdoutIsTty(): boolean {
    return this.io.stdout.isTTY === true;
  }

  get stderrIsTty(): boolean {
    return this.io.stderr.isTTY === true;
  }
}

/** Errors as plain objects (JSON.stringify gives `{}` for an Error); everything else as it is. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return errorSummary(value);
  return value;
}

/** What identifies an error in JSON output: never the error object itself (causes may hold requests). */
export function errorSummary(error: Error): Record<string, unknown> {
  const e = error as Error & {
    code?: unknown;
    field?: unknown;
    resource?: unknown;
    service?: unknown;
    operation?: unknown;
    providerCode?: unknown;
    requestId?: unknown;
  };
  const summary: Record<string, unknown> = { name: e.name, message: e.message };
  for (const key of [
    'code',
    'field',
    'resource',
    'service',
    'operation',
    'providerCode',
    'requestId',
  ] as const) {
    if (typeof e[key] === 'string') summary[key] = e[key];
  }
  return summary;
}

/** Left-aligned columns, the last one free. */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.min(60, Math.max(widths[i] ?? 0, cell.length));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
      .join(' '.repeat(gap))
      .trimEnd(),
  );
}

/** `1234` → `1.2 s`, `80` → `80 ms`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `text` in at most `max` characters: whole when it fits, else cut at the last word boundary that
 * leaves room for an ellipsis (`okta api integration of "Amazon…`), never mid-word unless a single
 * word is longer than the room.
 */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const room = max - 1;
  const head = text.slice(0, room + 1);
  // The last space (or other separator) at or before the cut: the text up to it is whole words.
  const at = Math.max(head.lastIndexOf(' '), head.lastIndexOf('/'), head.lastIndexOf(','));
  const cut = at > room / 3 ? text.slice(0, at) : text.slice(0, room);
  return `${cut.replace(/[\s,/("'-]+$/, '')}…`;
}
