/**
 * The sandbox's own XML reading (src/sandbox/xml.ts): what it refuses before any parser runs, and how it
 * reads text.
 */
import { describe, expect, it } from 'vitest';
import { allElements, parseXml, textContent } from '../../src/sandbox/xml.js';

const refused = (xml: string, limits = {}) => {
  const parsed = parseXml(xml, limits);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.message;
};

describe('parseXml', () => {
  it('refuses DOCTYPEs, deep nesting, floods of attributes or namespaces, and unterminated markup', () => {
    expect(refused('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>')).toMatch(/DOCTYPE or entities/);
    expect(refused(`${'<a>'.repeat(33)}${'</a>'.repeat(33)}`)).toMatch(/more than 32 deep/);
    // Flat siblings are fine: only nesting is limited.
    expect(parseXml(`<a>${'<b/>'.repeat(5000)}</a>`).ok).toBe(true);
    const attrs = Array.from({ length: 1001 }, (_, i) => ` a${i}="1"`).join('');
    expect(refused(`<r${attrs}/>`)).toMatch(/more than 1000 attributes/);
    const namespaces = Array.from({ length: 201 }, (_, i) => ` xmlns:n${i}="u:${i}"`).join('');
    expect(refused(`<r${namespaces}/>`)).toMatch(/more than 200 namespaces/);
    expect(refused('<r a="never closed/>')).toMatch(/a tag is never closed/);
    expect(refused('<r><!-- never closed </r>')).toMatch(/never closed/);
    expect(refused('<r><a></r>')).toMatch(/not well-formed/);
    // Quoted `>` and `=` are values, not markup.
    const ok = parseXml('<r a="x > y = z" b=\'1\'><c/></r>');
    expect(ok.ok && allElements(ok.root).map((e) => e.localName)).toEqual(['r', 'c']);
  });

  it('reads all the text of an element, comments skipped (no comment-injection truncation)', () => {
    const parsed = parseXml('<r>admin@acme.com<!---->.evil.example<![CDATA[!]]></r>');
    expect(parsed.ok && textContent(parsed.root)).toBe('admin@acme.com.evil.example!');
  });
});
