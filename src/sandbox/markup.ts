/**
 * Escaping text for the sandbox's own HTML and XML pages (error envelopes, sign-in forms).
 */

/** `& < > " '` as entities; `'` as `apostrophe` (`&apos;` in XML, `&#39;` in HTML). */
export function escapeMarkup(text: string, apostrophe: '&apos;' | '&#39;'): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, apostrophe);
}
