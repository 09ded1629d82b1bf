/**
 * restJson1 (Connect): requests routed to operations by the model's `smithy.api#http` bindings.
 */
import { MODELS } from './model.js';

// ---------------------------------------------------------------------------------------------------------
// restJson1 (Connect): routing

interface Route {
  readonly operation: string;
  readonly regex: RegExp;
  /** Label member names in capture-group order; `greedy` labels keep their `/`. */
  readonly labels: readonly { readonly name: string; readonly greedy: boolean }[];
  readonly query: readonly (readonly [string, string | undefined])[];
  /** Sort key: more literal characters first, greedy labels last. */
  readonly literalLength: number;
  readonly greedy: boolean;
  /** Whether the sandbox emulates the operation (false: an operation of the model it does not). */
  readonly emulated?: boolean;
}

let routesByMethod: Map<string, Route[]> | undefined;

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

function compileRoute(operation: string, uri: string): Route {
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const query = (q === -1 ? '' : uri.slice(q + 1))
    .split('&')
    .filter(Boolean)
    .map((pair): readonly [string, string | undefined] => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)];
    });
  const labels: { name: string; greedy: boolean }[] = [];
  let literalLength = 0;
  let greedy = false;
  const source = path.replace(/\{([^}]+)\}|[^{]+/g, (part, label: string | undefined) => {
    if (label === undefined) {
      literalLength += part.length;
      return part.replace(REGEX_SPECIAL, '\\$&');
    }
    const isGreedy = label.endsWith('+');
    greedy ||= isGreedy;
    labels.push({ name: isGreedy ? label.slice(0, -1) : label, greedy: isGreedy });
    return isGreedy ? '(.+)' : '([^/]+)';
  });
  return { operation, regex: new RegExp(`^${source}$`), labels, query, literalLength, greedy };
}

function routes(): Map<string, Route[]> {
  if (routesByMethod) return routesByMethod;
  const map = new Map<string, Route[]>();
  const add = (operation: string, method: string, uri: string, emulated: boolean) => {
    const list = map.get(method) ?? [];
    list.push({ ...compileRoute(operation, uri), emulated });
    map.set(method, list);
  };
  for (const [operation, op] of Object.entries(MODELS.connect.operations)) {
    if (op.http) add(operation, op.http.method, op.http.uri, true);
  }
  // The operations the sandbox does not emulate take part in routing too, so that a request for one of
  // them is recognised (and answered NotImplemented) rather than routed to a looser emulated template.
  for (const [operation, http] of Object.entries(MODELS.connect.otherOperations ?? {})) {
    if (http.method && http.uri) add(operation, http.method, http.uri, false);
  }
  for (const list of map.values()) {
    list.sort(
      (a, b) =>
        Number(a.greedy) - Number(b.greedy) ||
        b.query.length - a.query.length ||
        b.literalLength - a.literalLength ||
        a.operation.localeCompare(b.operation),
    );
  }
  routesByMethod = map;
  return map;
}

/** A Connect request routed to an operation, with its decoded path labels (by member name). */
export interface RestMatch {
  readonly operation: string;
  readonly labels: Readonly<Record<string, string>>;
}

function decodeLabel(raw: string, greedy: boolean): string | undefined {
  try {
    return greedy ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Labels of `route` in `rawPath`: a record, `undefined` (no match) or `null` (matched, malformed label). */
function matchRoute(
  route: Route,
  rawPath: string,
  query: URLSearchParams | undefined,
): Record<string, string> | undefined | null {
  const m = route.regex.exec(rawPath);
  if (!m) return undefined;
  if (route.query.length > 0) {
    if (!query) return undefined;
    const ok = route.query.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v));
    if (!ok) return undefined;
  }
  const labels: Record<string, string> = {};
  for (let i = 0; i < route.labels.length; i++) {
    const label = route.labels[i];
    if (!label) continue;
    const decoded = decodeLabel(m[i + 1] ?? '', label.greedy);
    if (decoded === undefined || decoded === '') return null;
    labels[label.name] = decoded;
  }
  return labels;
}

/**
 * Route a Connect request by the model's `smithy.api#http` bindings (method + URI template, greedy labels,
 * literal query parts of the template). `rawPath` is the still percent-encoded path without the query
 * string; labels come back decoded (`arn%3Aaws%3A…` → `arn:aws:…`). Returns `undefined` when no emulated
 * operation matches (including a malformed percent-encoding in a label). Routes are compiled once, on
 * first use.
 */
export function matchRestOperation(
  method: string,
  rawPath: string,
  query?: URLSearchParams,
): RestMatch | undefined {
  const found = findRoute(method, rawPath, query);
  return found?.route.emulated ? { operation: found.route.operation, labels: found.labels } : undefined;
}

/**
 * The Connect operation of the model that a request names but the sandbox does not emulate (to answer
 * `NotImplemented` naming it), or undefined (an emulated operation, or no operation of the model).
 */
export function unemulatedRestOperation(
  method: string,
  rawPath: string,
  query?: URLSearchParams,
): string | undefined {
  const found = findRoute(method, rawPath, query);
  return found && !found.route.emulated ? found.route.operation : undefined;
}

function findRoute(
  method: string,
  rawPath: string,
  query: URLSearchParams | undefined,
): { route: Route; labels: Record<string, string> } | undefined {
  const candidates = routes().get(method.toUpperCase());
  if (!candidates) return undefined;
  for (const route of candidates) {
    const labels = matchRoute(route, rawPath, query);
    if (labels === null) return undefined;
    if (labels) return { route, labels };
  }
  return undefined;
}

const templateCache = new Map<string, Route>();

/**
 * Match one Smithy URI template (`/instance/{InstanceId}`, `/files/{Key+}`, `/x?type=y`) against a raw
 * path: the decoded labels, or `undefined`. A greedy label keeps its `/` separators (each segment decoded).
 */
export function matchUriTemplate(
  template: string,
  rawPath: string,
  query?: URLSearchParams,
): Record<string, string> | undefined {
  let route = templateCache.get(template);
  if (!route) {
    route = compileRoute('', template);
    templateCache.set(template, route);
  }
  return matchRoute(route, rawPath, query) ?? undefined;
}
