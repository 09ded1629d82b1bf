/**
 * The XML plumbing of SAML response checking: a parser that refuses what a SAML response never needs
 * (DOCTYPE, entity declarations, absurd nesting, floods of attributes or namespace declarations) before
 * any parser or canonicalizer sees it, and namespace-aware DOM helpers that never recurse.
 *
 * The bounds are far above what an IdP sends (an Okta response is ≈ 15 KB, 8 levels deep, ≈ 30 elements
 * with at most 6 attributes and 3 namespace declarations each) and low enough that nothing after them —
 * the DOM parser, xml-crypto's XPath look-ups, its canonicalization and its ancestor-namespace
 * collection, which is quadratic in the namespaces in scope — can be made to spend more than
 * milliseconds.
 */
import { DOMParser } from '@xmldom/xmldom';
import { XMLValidator } from 'fast-xml-parser';

/** Deeper than any SAML response (≈ 8 levels); a guard for the recursive canonicalizer. */
export const MAX_XML_DEPTH = 64;
/**
 * The most elements in one document. An Okta response has ≈ 30, plus one per attribute value; AWS STS
 * takes at most 100,000 characters of base64 (≈ 400 Okta-shaped attribute values), so a response
 * AWS accepts has fewer than 450. xml-crypto looks
 * the signed element up with XPath over the whole document, at some microseconds per element: this
 * bound is what keeps a padded response's signature check in milliseconds.
 */
export const MAX_ELEMENTS_PER_DOCUMENT = 512;
/** The most attributes (namespace declarations included) one element may carry. */
export const MAX_ATTRIBUTES_PER_ELEMENT = 64;
/** The most namespace declarations (`xmlns`, `xmlns:p`) one element may carry. */
export const MAX_NAMESPACES_PER_ELEMENT = 32;
/** The most attributes (namespace declarations included) in one document (Okta: 3 per attribute value). */
export const MAX_ATTRIBUTES_PER_DOCUMENT = 1536;
/** The most namespace declarations in one document (Okta declares 2 on every attribute value). */
export const MAX_NAMESPACES_PER_DOCUMENT = 1024;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** A parsed document, or why it was refused (a phrase that completes "it …" / "the response was refused: …"). */
export type ParsedXml = { ok: true; document: Document; root: Element } | { ok: false; message: string };

/** What {@link scanXml} found over a bound, or undefined when the text is within every bound. */
export type XmlScanProblem = string | undefined;

const TAG_REST = /(?:[^>"']|"[^"]*"|'[^']*')*>/y;
const QUOTED = /"[^"]*"|'[^']*'/g;
const NAMESPACE_DECLARATION = /(?:^|\s)xmlns(?::[^\s=]*)?\s*=/g;

function countMatches(text: string, pattern: RegExp): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null) n++;
  return n;
}

/**
 * Check the bounds of a document from its text alone, in one linear pass and before any parser sees
 * it: element depth ({@link MAX_XML_DEPTH}), elements ({@link MAX_ELEMENTS_PER_DOCUMENT}), and
 * attributes and namespace declarations per element and per document. Comments, CDATA and processing instructions are skipped. Stops at the first bound passed.
 */
export function scanXml(xml: string): XmlScanProblem {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let namespaces = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml[at + 1];
    let end: number;
    if (xml.startsWith('<!--', at)) end = xml.indexOf('-->', at + 4) + 2;
    else if (xml.startsWith('<![CDATA[', at)) end = xml.indexOf(']]>', at + 9) + 2;
    else if (next === '?') end = xml.indexOf('?>', at + 2) + 1;
    else {
      TAG_REST.lastIndex = at + 1;
      end = TAG_REST.test(xml) ? TAG_REST.lastIndex - 1 : -1;
      if (end === -1) break;
      if (next === '/') depth--;
      else if (next !== '!') {
        const selfClosing = xml[end - 1] === '/';
        if (!selfClosing && ++depth > MAX_XML_DEPTH) {
          return `it nests elements more than ${MAX_XML_DEPTH} deep; a SAML response needs fewer`;
        }
        if (++elements > MAX_ELEMENTS_PER_DOCUMENT) {
          return `it has more than ${MAX_ELEMENTS_PER_DOCUMENT} elements; a SAML response has far fewer`;
        }
        // Values may hold '=' and 'xmlns': count on the tag with its quoted values emptied.
        const tag = xml.slice(at + 1, end).replace(QUOTED, '""');
        const own = countMatches(tag, /=/g);
        const ownNamespaces = countMatches(tag, NAMESPACE_DECLARATION);
        const name = /^[^\s/>]*/.exec(tag)?.[0] ?? '';
        if (ownNamespaces > MAX_NAMESPACES_PER_ELEMENT) {
          return `an element (<${name}>) declares ${ownNamespaces} namespaces; a SAML response declares a few per element and this check refuses more than ${MAX_NAMESPACES_PER_ELEMENT}`;
        }
        if (own > MAX_ATTRIBUTES_PER_ELEMENT) {
          return `an element (<${name}>) carries ${own} attributes; a SAML response has a few per element and this check refuses more than ${MAX_ATTRIBUTES_PER_ELEMENT}`;
        }
        attributes += own;
        namespaces += ownNamespaces;
        if (namespaces > MAX_NAMESPACES_PER_DOCUMENT) {
          return `it declares more than ${MAX_NAMESPACES_PER_DOCUMENT} namespaces; a SAML response declares far fewer`;
        }
        if (attributes > MAX_ATTRIBUTES_PER_DOCUMENT) {
          return `it carries more than ${MAX_ATTRIBUTES_PER_DOCUMENT} attributes; a SAML response has far fewer`;
        }
      }
    }
    if (end < at) break;
    at = xml.indexOf('<', end + 1);
  }
  return undefined;
}

/**
 * Parse XML that must not declare a DOCTYPE or entities (refused before any parsing: XXE and
 * entity-expansion attacks never reach a parser), must keep within the bounds of {@link scanXml}, and
 * must be well-formed.
 */
export function parseXmlStrict(xml: string): ParsedXml {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    return {
      ok: false,
      message:
        'it declares a DOCTYPE or entities, which a SAML response never does (XML external entity and entity-expansion attacks use them); it was refused without being parsed',
    };
  }
  const bound = scanXml(xml);
  if (bound !== undefined) return { ok: false, message: bound };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return {
      ok: false,
      message: `it is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`,
    };
  }
  const problems: string[] = [];
  const record = (msg: unknown) => problems.push(String(msg).replace(/^\[xmldom \w+\]\s*/, ''));
  let document: Document;
  try {
    document = new DOMParser({
      locator: {},
      errorHandler: { warning: () => {}, error: record, fatalError: record },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    return {
      ok: false,
      message: `it is not well-formed XML: ${String((error as Error).message).split('\n')[0]}`,
    };
  }
  const root = document?.documentElement;
  if (problems.length > 0 || !root) {
    return { ok: false, message: `it is not well-formed XML: ${problems[0] ?? 'no root element'}` };
  }
  // The scan and the parser agree on depth unless the text fooled the scan; the DOM decides.
  let depth = 0;
  for (const { depth: d } of walk(root)) depth = Math.max(depth, d);
  if (depth > MAX_XML_DEPTH) {
    return {
      ok: false,
      message: `it nests elements ${depth} deep; a SAML response needs fewer than ${MAX_XML_DEPTH}`,
    };
  }
  return { ok: true, document, root };
}

/** Every element under (and including) `root`, depth first, without recursion. */
export function* walk(root: Element): Generator<{ element: Element; depth: number }> {
  const stack: { element: Element; depth: number }[] = [{ element: root, depth: 1 }];
  while (stack.length > 0) {
    const next = stack.pop() as { element: Element; depth: number };
    yield next;
    const kids = childElements(next.element);
    for (let i = kids.length - 1; i >= 0; i--)
      stack.push({ element: kids[i] as Element, depth: next.depth + 1 });
  }
}

/** The child elements of an element, in document order. */
export function childElements(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

/** Child elements with this namespace and local name. */
export function children(element: Element, ns: string, localName: string): Element[] {
  return childElements(element).filter((e) => e.namespaceURI === ns && e.localName === localName);
}

/** The text of an element: its text and CDATA descendants joined (comments and PIs ignored). */
export function textOf(element: Element): string {
  let out = '';
  const stack: Node[] = [element];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) out += node.nodeValue ?? '';
    else if (node.nodeType === ELEMENT_NODE) {
      const kids: Node[] = [];
      for (let k = node.firstChild; k; k = k.nextSibling) kids.push(k);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Node);
    }
  }
  return out;
}

/** An attribute's value, or undefined when the element does not have it. */
export function attr(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

/** A readable path to an element (`Response/Assertion/Signature`) for messages. */
export function pathOf(element: Element): string {
  const parts: string[] = [];
  for (let node: Node | null = element; node && node.nodeType === ELEMENT_NODE; node = node.parentNode) {
    parts.unshift((node as Element).localName ?? (node as Element).nodeName);
  }
  return parts.join('/');
}

/** The attributes that xml-crypto (and most XML-DSig implementations) treat as IDs, matched by local name. */
export const ID_ATTRIBUTES = ['ID', 'Id', 'id'];

/** Every ID-like attribute value in the document with the elements that carry it. */
export function idsOf(root: Element): Map<string, Element[]> {
  const ids = new Map<string, Element[]>();
  for (const { element } of walk(root)) {
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i);
      if (!a || !ID_ATTRIBUTES.includes(a.localName ?? a.name)) continue;
      const list = ids.get(a.value);
      if (list) list.push(element);
      else ids.set(a.value, [element]);
    }
  }
  return ids;
}
