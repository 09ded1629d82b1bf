/**
 * Reading from stdin: whole input (a piped SAMLResponse or token), a line (a question on a TTY), or a
 * secret typed without echo. One reader per stream, so several questions read one after another.
 */
import type { InStream, Output } from './output.js';

class Reader {
  private readonly iterator: AsyncIterator<string | Buffer>;
  private buffer = '';
  private ended = false;

  constructor(readonly stream: InStream) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer += typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    return true;
  }

  async line(): Promise<string | undefined> {
    for (;;) {
      const at = this.buffer.search(/\r?\n|\r/);
      if (at >= 0) {
        const line = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at).replace(/^(\r\n|\n|\r)/, '');
        return line;
      }
      if (!(await this.more())) {
        if (this.buffer === '') return undefined;
        const rest = this.buffer;
        this.buffer = '';
        return rest;
      }
    }
  }

  async all(limit: number): Promise<string> {
    while (await this.more()) {
      if (this.buffer.length > limit) throw new RangeError(`more than ${limit} characters on stdin`);
    }
    const all = this.buffer;
    this.buffer = '';
    return all;
  }

  /** Raw-mode characters until Enter, echoing nothing. */
  async secret(): Promise<string> {
    let value = '';
    for (;;) {
      if (this.buffer === '' && !(await this.more())) return value;
      const c = this.buffer[0] as string;
      this.buffer = this.buffer.slice(1);
      if (c === '\r' || c === '\n' || c === '\u0004') return value;
      if (c === '\u0003') throw Object.assign(new Error('interrupted'), { name: 'AbortError' });
      if (c === '\u007f' || c === '\b') value = value.slice(0, -1);
      else if (c >= ' ') value += c;
    }
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

const readers = new WeakMap<InStream, Reader>();

function reader(stream: InStream): Reader {
  let r = readers.get(stream);
  if (!r) {
    r = new Reader(stream);
    readers.set(stream, r);
  }
  return r;
}

/** Everything on stdin (at most `limit` characters). */
export function readAll(stream: InStream, limit: number): Promise<string> {
  return reader(stream).all(limit);
}

/** Ask a question on stderr and read one line of answer; `fallback` when the answer is empty. */
export async function ask(out: Output, question: string, fallback?: string): Promise<string> {
  out.errRaw(fallback !== undefined && fallback !== '' ? `${question} [${fallback}]: ` : `${question}: `);
  const answer = (await reader(out.io.stdin).line())?.trim() ?? '';
  return answer === '' ? (fallback ?? '') : answer;
}

/** Ask a yes/no question; only `y`/`yes` is yes. */
export async function confirm(out: Output, question: string): Promise<boolean> {
  out.errRaw(`${question} [y/N] `);
  const answer = (await reader(out.io.stdin).line())?.trim().toLowerCase() ?? '';
  return answer === 'y' || answer === 'yes';
}

/** Read a secret: typed without echo on a TTY, or the whole of piped stdin (trimmed). */
export async function readSecret(out: Output, prompt: string): Promise<string> {
  const stdin = out.io.stdin;
  if (stdin.isTTY !== true) return (await reader(stdin).all(64 * 1024)).trim();
  out.errRaw(`${prompt}: `);
  stdin.setRawMode?.(true);
  try {
    return (await reader(stdin).secret()).trim();
  } finally {
    stdin.setRawMode?.(false);
    out.errRaw('\n');
  }
}

/** Let the process exit: stop reading stdin if a command started to. */
export async function releaseStdin(stream: InStream): Promise<void> {
  const r = readers.get(stream);
  if (r) {
    readers.delete(stream);
    await r.close();
  }
  stream.pause?.();
}
