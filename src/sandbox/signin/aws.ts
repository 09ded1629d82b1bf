/**
 * AWS sign-in (`https://signin.aws.amazon.com/saml`) receiving a posted `SAMLResponse`: the role picker
 * (the Role pairs as sent choose the provider whose metadata verifies the response), AssumeRoleWithSAML
 * (./assume.ts: signature, the assertion's checks, role, trust policy), then the Connect federation of
 * the relay state (./federate.ts).
 */
import type { EmulatorContext } from '../emulator.js';
import { assumeRoleWithSaml, decodeSamlResponse, parseSamlXml, peekRolePairs } from './assume.js';
import type { RolePair } from './checks.js';
import { federateToConnect } from './federate.js';
import { INVALID_SAML_RESPONSE, ROLE_ATTRIBUTE, SIGNATURE_INVALID } from './messages.js';
import { responseShapeProblem } from './signature.js';
import type { SignInFailure, SignInResult } from './types.js';

function failure(stage: SignInFailure['stage'], message: string, detail: string): SignInFailure {
  return { ok: false, stage, message, detail };
}

function chooseRole(pairs: RolePair[], wanted: string | undefined): RolePair | undefined {
  if (wanted === undefined) return pairs[0];
  return pairs.find(
    (p) => p.roleArn === wanted || p.roleArn.endsWith(`:role/${wanted}`) || p.roleArn.endsWith(`/${wanted}`),
  );
}

/**
 * AWS sign-in and the Connect federation for a posted `SAMLResponse` and `RelayState`. `at` is when
 * AWS receives it (default the sandbox clock); `role` chooses among several Role values (a role ARN or
 * name, as on AWS's role picker).
 */
export function awsSamlSignIn(
  ctx: EmulatorContext,
  input: {
    samlResponse: string;
    relayState: string | undefined;
    at?: number | undefined;
    role?: string | undefined;
  },
): SignInResult {
  const now = input.at ?? ctx.now();
  const xml = decodeSamlResponse(input.samlResponse);
  if (xml === undefined) {
    return failure(
      'saml',
      INVALID_SAML_RESPONSE,
      'xml: the SAMLResponse form field is not base64 of UTF-8 text (or is longer than 100,000 characters)',
    );
  }
  const parsed = parseSamlXml(xml);
  if (!parsed.ok) return failure('saml', INVALID_SAML_RESPONSE, parsed.detail);
  const shape = responseShapeProblem(parsed.root);
  if (shape) {
    return failure(
      'signature',
      SIGNATURE_INVALID,
      `signature: the response is not shaped like a signed SAML response (what an XML signature-wrapping attack looks like): ${shape}`,
    );
  }
  const pairs = peekRolePairs(parsed.root);
  if (pairs.length === 0) {
    return failure(
      'saml',
      INVALID_SAML_RESPONSE,
      `roles: the response has no ${ROLE_ATTRIBUTE} value that is a pair of a role ARN and a SAML provider ARN`,
    );
  }
  const chosen = chooseRole(pairs, input.role);
  if (!chosen) {
    return failure(
      'saml',
      INVALID_SAML_RESPONSE,
      `roles: none of the Role values names the role '${input.role}': ${pairs.map((p) => p.roleArn).join('; ')}`,
    );
  }
  const assumed = assumeRoleWithSaml(ctx, { xml, root: parsed.root, pair: chosen, now });
  if (!assumed.ok) return failure(assumed.stage, assumed.message, assumed.detail);
  const { role, claims } = assumed.session;
  return federateToConnect(ctx, role, claims.roleSessionName, input.relayState);
}
