/**
 * The condition operators' comparisons of one context value with one resolved policy value.
 */
import { arnMatch, globMatch, literalOf, type Token } from './patterns.js';

function parseNumber(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** A date as IAM reads it: epoch seconds, or ISO 8601. */
function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): string[] | undefined => {
    if (h === undefined || h === '') return [];
    const g = h.split(':');
    const last = g[g.length - 1] ?? '';
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      g.splice(g.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return all.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

/** `IpAddress`: the policy value is an address or a CIDR block (IPv4 or IPv6). */
function ipMatch(cidr: string, value: string): boolean {
  const [addr = '', bitsText] = cidr.trim().split('/');
  const v4 = addr.includes(':') ? undefined : parseIpv4(addr);
  const width = v4 !== undefined ? 32 : 128;
  const net = v4 ?? parseIpv6(addr);
  const ip = width === 32 ? parseIpv4(value.trim()) : parseIpv6(value.trim());
  if (net === undefined || ip === undefined) return false;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return net >> shift === ip >> shift;
}

/** The positive form of each negated operator. */
export const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NotIpAddress: 'IpAddress',
};

/** Compares one context value with one resolved policy value under a positive operator. */
export function compare(op: string, policy: readonly Token[], value: string): boolean {
  switch (op) {
    case 'StringEquals':
      return literalOf(policy) === value;
    case 'StringEqualsIgnoreCase':
      return literalOf(policy).toLowerCase() === value.toLowerCase();
    case 'StringLike':
      return globMatch(policy, value, false);
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatch(policy, value);
    case 'Bool':
      return literalOf(policy).toLowerCase() === value.toLowerCase();
    case 'BinaryEquals':
      return literalOf(policy) === value;
    case 'IpAddress':
      return ipMatch(literalOf(policy), value);
    default: {
      const numeric = op.startsWith('Numeric');
      const parse = numeric ? parseNumber : parseDate;
      const a = parse(value);
      const b = parse(literalOf(policy));
      if (a === undefined || b === undefined) return false;
      switch (op.slice(numeric ? 'Numeric'.length : 'Date'.length)) {
        case 'Equals':
          return a === b;
        case 'LessThan':
          return a < b;
        case 'LessThanEquals':
          return a <= b;
        case 'GreaterThan':
          return a > b;
        case 'GreaterThanEquals':
          return a >= b;
        default:
          return false;
      }
    }
  }
}
