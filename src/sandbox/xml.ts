/**
 * The sandbox's own reading of the XML that AWS receives (SAML responses at sign-in and STS, IdP
 * metadata at CreateSAMLProvider) — written apart from the library's SAML checks (src/saml), so that
 * the sandbox never grades the library with the library's own code.
 *
 * Hostile input is refused before any parser sees it, by linear scans of the text: document type and
 * entity declarations (XXE, entity expansion), nesting deeper than a SAML document needs, and floods of
 * attributes or namespace declarations (which make XML-DSig canonicalization quadratic).
 */
import { DOMParser } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** Limits of {@link parseXml}; a real Okta response (≈ 15 KB) stays far below each. */
export interface XmlLimits {
  /** Element nesting (an Okta response nests 7 deep). Default 32. */
  maxDepth?: number;
  /** Attributes in the whole document, namespace declarations included (Okta: ≈ 60). Default 1,000. */
  maxAttributes?: number;
  /** Namespace declarations in the whole document (Okta: ≈ 25). Default 200. */
  maxNamespaceDeclarations?: number;
}

export type XmlParse = { ok: true; root: Element } | { ok: false; message: string };

/**
 * A linear scan of the text (each character is looked at a bounded number of times, whatever the input):
 * nesting depth, attributes and namespace declarations, and that every element is closed by its own end
 * tag (xmldom recovers from `<r><a></r>` silently; AWS would refuse such a document), before any parser
 * runs.
 */
function scan(xml: string, limits: Required<XmlLimits>): string | undefined {
  const open: string[] = [];
  let depth = 0;
  let attributes = 0;
  let namespaces = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    let end: number;
    if (xml.startsWith('<!--', at)) end = xml.indexOf('-->', at + 4) + 2;
    else if (xml.startsWith('<![CDATA[', at)) end = xml.indexOf(']]>', at + 9) + 2;
    else if (xml[at + 1] === '?' || xml[at + 1] === '!') end = xml.indexOf('>', at + 2);
    else {
      // A tag: to its `>`, quoted values skipped; the rest (names, `=`) gathered for counting.
      let quote = '';
      let bare = '';
      end = -1;
      for (let i = at + 1; i < xml.length; i++) {
        const ch = xml[i] as string;
        if (quote) {
          if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") {
          quote = ch;
          bare += ' ';
        } else if (ch === '>') {
          end = i;
          break;
        } else {
          bare += ch;
        }
      }
      if (end === -1) return 'it is not well-formed XML (a tag is never closed)';
      const name = /^\/?([^\s/]*)/.exec(bare)?.[1] ?? '';
      if (bare.startsWith('/')) {
        depth--;
        if (open.pop() !== name)
          return `it is not well-formed XML (the end tag </${name}> closes nothing it opened)`;
      } else {
        // Each `=` outside quotes is an attribute; its name is the word before it.
        const pieces = bare.split('=');
        for (let p = 0; p < pieces.length - 1; p++) {
          attributes++;
          const words = (pieces[p] as string).trimEnd().split(/\s/);
          const name = words[words.length - 1] ?? '';
          if (name === 'xmlns' || name.startsWith('xmlns:')) namespaces++;
        }
        if (attributes > limits.maxAttributes) {
          return `it has more than ${limits.maxAttributes} attributes; a SAML document needs far fewer`;
        }
        if (namespaces > limits.maxNamespaceDeclarations) {
          return `it declares more than ${limits.maxNamespaceDeclarations} namespaces; a SAML document needs far fewer`;
        }
        if (!bare.trimEnd().endsWith('/')) {
          open.push(name);
          depth++;
          if (depth > limits.maxDepth) return `it nests elements more than ${limits.maxDepth} deep`;
        }
      }
    }
    if (end < at)
      return 'it is not well-formed XML (a comment, CDATA section or declaration is never closed)';
    at = xml.indexOf('<', end + 1);
  }
  if (open.length > 0) return `it is not well-formed XML (<${open[open.length - 1]}> is never closed)`;
  return undefined;
}

/**
 * Parse an XML document: refused (with the reason) when it declares a DOCTYPE or entities, breaks a
 * limit, or is not well-formed. Namespace-aware (xmldom).
 */
export function parseXml(xml: string, limits: XmlLimits = {}): XmlParse {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    return { ok: false, message: 'it declares a DOCTYPE or entities, which SAML documents never need' };
  }
  const scanned = scan(xml, {
    maxDepth: limits.maxDepth ?? 32,
    maxAttributes: limits.maxAttributes ?? 1_000,
    maxNamespaceDeclarations: limits.maxNamespaceDeclarations ?? 200,
  });
  if (scanned) return { ok: false, message: scanned };
  const problems: string[] = [];
  const record = (message: unknown) => problems.push(String(message).split('\n')[0] ?? '');
  let document: Document | undefined;
  try {
    document = new DOMParser({
      locator: {},
      errorHandler: { warning: () => {}, error: record, fatalError: record },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    record((error as Error).message);
  }
  const root = document?.documentElement;
  if (problems.length > 0 || !root) {
    return { ok: false, message: `it is not well-formed XML (${problems[0] ?? 'no root element'})` };
  }
  return { ok: true, root };
}

/** The element children of an element, in document order. */
export function elementChildren(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

/** The element children with this namespace and local name. */
export function childrenNamed(element: Element, ns: string, localName: string): Element[] {
  return elementChildren(element).filter((e) => e.namespaceURI === ns && e.localName === localName);
}

/** Every element of the tree under (and including) `root`, in document order, without recursion. */
export function allElements(root: Element): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    out.push(element);
    const kids = elementChildren(element);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Element);
  }
  return out;
}

/**
 * All the text of an element: every text and CDATA descendant joined, comments skipped. (Reading only the
 * first text node is the classic comment-injection hole: `admin@acme.com<!---->.evil.example` would read
 * as `admin@acme.com`.)
 */
export function textContent(element: Element): string {
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
export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}
