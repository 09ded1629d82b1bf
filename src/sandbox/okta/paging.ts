/**
 * Okta's cursor pagination: `limit` + opaque `after`, and two separate `Link` headers with absolute URLs
 * (`rel="self"` always, `rel="next"` when there is more), echoing every query parameter but `after`.
 * The cursor is the id of the page's last item; lists are sorted by id, which sorts by creation
 * (see `newId`), so a cursor stays valid when items are deleted between pages.
 */
import type { SandboxRequest } from '../emulator.js';
import type { Ctx } from './util.js';

export interface PageOptions {
  defaultLimit: number;
  maxLimit: number;
  minLimit?: number;
}

export interface Page<T> {
  items: T[];
  links: string[];
}

function encodeQuery(entries: [string, string][]): string {
  return entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export function parseLimit(req: SandboxRequest, options: PageOptions): number {
  const raw = req.query.get('limit');
  const parsed = raw === null ? Number.NaN : Number(raw);
  if (!Number.isInteger(parsed) || parsed <= 0) return options.defaultLimit;
  return Math.min(options.maxLimit, Math.max(options.minLimit ?? 1, parsed));
}

/** One page of `all` (sorted by `idOf`), with the `Link` headers to send. */
export function paginate<T>(
  ctx: Ctx,
  req: SandboxRequest,
  all: readonly T[],
  idOf: (item: T) => string,
  options: PageOptions,
): Page<T> {
  const limit = parseLimit(req, options);
  const after = req.query.get('after');
  const rest = after ? all.filter((item) => idOf(item) > after) : all;
  const items = rest.slice(0, limit);
  const base = `${ctx.origin}${req.path}`;
  const query = [...req.query.entries()];
  const selfQuery = encodeQuery(query);
  const links = [`<${base}${selfQuery ? `?${selfQuery}` : ''}>; rel="self"`];
  const last = items[items.length - 1];
  if (rest.length > limit && last !== undefined) {
    const nextQuery = encodeQuery([['after', idOf(last)], ...query.filter(([k]) => k !== 'after')]);
    links.push(`<${base}?${nextQuery}>; rel="next"`);
  }
  return { items, links };
}
