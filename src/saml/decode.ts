/**
 * Decoding a SAMLResponse as a user captures it (base64, maybe URL-encoded, maybe with line breaks or a
 * `SAMLResponse=` prefix, or the XML itself) into XML text, refusing oversized input before any work.
 */
import { AWS_INVALID_SAML_RESPONSE, RECAPTURE_FIX } from './wording.js';

/**
 * The most characters (base64 or XML) accepted for one SAML response: 256 KiB. Okta's are 5–15 KB; the
 * bound is some 15 times that, and keeps the cost of refusing hostile input in milliseconds.
 */
export const MAX_SAML_RESPONSE_LENGTH = 256 * 1024;

/** The decoded XML, or why the input is not a SAML response (with what to do). */
export type Decoded = { ok: true; xml: string } | { ok: false; message: string; fix: string };

/** The XML of a SAMLResponse as posted (base64, maybe URL-encoded, maybe `SAMLResponse=` prefixed) or as XML. */
export function decodeSamlResponse(input: unknown): Decoded {
  if (typeof input !== 'string') {
    return { ok: false, message: 'The SAML response must be a string (base64 or XML).', fix: RECAPTURE_FIX };
  }
  if (input.length > MAX_SAML_RESPONSE_LENGTH) {
    return {
      ok: false,
      message: `${AWS_INVALID_SAML_RESPONSE} The response is ${input.length} characters; SAML responses are a few kilobytes and this check refuses more than ${MAX_SAML_RESPONSE_LENGTH} (256 KiB).`,
      fix: RECAPTURE_FIX,
    };
  }
  let text = input.trim();
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.startsWith('<')) return { ok: true, xml: text };
  text = text.replace(/^SAMLResponse=/, '').split('&')[0] ?? '';
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return {
        ok: false,
        message: 'The SAML response is neither XML nor base64 (bad URL encoding).',
        fix: RECAPTURE_FIX,
      };
    }
  }
  const base64 = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (base64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    return { ok: false, message: 'The SAML response is neither XML nor base64.', fix: RECAPTURE_FIX };
  }
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64'));
  } catch {
    return {
      ok: false,
      message: 'The SAML response decodes to bytes that are not UTF-8 text.',
      fix: RECAPTURE_FIX,
    };
  }
  xml = xml.replace(/^\uFEFF/, '').trim();
  if (!xml.startsWith('<')) {
    return {
      ok: false,
      message:
        'The SAML response decodes to something that is not XML (a deflated HTTP-Redirect message? AWS only takes the HTTP-POST binding).',
      fix: RECAPTURE_FIX,
    };
  }
  return { ok: true, xml };
}
