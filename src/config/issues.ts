/**
 * The list of problems {@link validateConfig} gathers, and the small readers its checks share. The checks
 * run on the input as it is (before the schema's types can be trusted), hence the loose readers.
 */
import { APP_KINDS, type AppKind } from './defaults.js';

export type Issue = { field: string; message: string };
export type Loose = Record<string, unknown>;

export const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const isKind = (v: unknown): v is AppKind =>
  typeof v === 'string' && (APP_KINDS as readonly string[]).includes(v);

/**
 * The list of issues; an issue under a path that already has one is dropped (one cause, one message).
 *
 * `has(field)` asks whether `field` or a path above it (`users[3]` above `users[3].login`) has an
 * issue. The recorded paths are kept in a set, so the question costs the length of `field` (at most one
 * set lookup per `.` or `[` in it), not the number of issues: a config with one problem in each of
 * 16,000 users is checked in linear time.
 */
export class Issues {
  readonly list: Issue[] = [];
  private readonly fields = new Set<string>();
  /** The lengths of the recorded paths: a path of another length cannot be one (it is not looked up). */
  private readonly lengths = new Set<number>();

  constructor(initial: readonly Issue[]) {
    for (const issue of initial) this.record(issue.field, issue.message);
  }

  has(field: string): boolean {
    if (this.fields.size === 0) return false;
    if (this.lengths.has(field.length) && this.fields.has(field)) return true;
    // Every proper prefix that ends where a segment starts: `users`, `users[3]` for `users[3].login`.
    for (let end = 0; end < field.length; end++) {
      const c = field.charCodeAt(end);
      if ((c === 0x2e || c === 0x5b) && this.lengths.has(end) && this.fields.has(field.slice(0, end)))
        return true;
    }
    return false;
  }

  add(field: string, message: string): void {
    if (!this.has(field)) this.record(field, message);
  }

  private record(field: string, message: string): void {
    this.list.push({ field, message });
    this.fields.add(field);
    this.lengths.add(field.length);
  }
}
