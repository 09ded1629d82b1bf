/**
 * The sign-in simulation: the IdP-initiated SAML flow from an Okta `amazon_aws` app through AWS sign-in
 * (`https://signin.aws.amazon.com/saml`) to the Amazon Connect federation, checked link by link with the
 * sandbox's own implementation of AWS's checks (nothing of the library's src/saml grades it):
 *
 * 1. Okta (../okta/saml.ts) issues the signed SAML response the app sends for a user.
 * 2. AWS sign-in (./aws.ts) picks the Role pair, finds the SAML provider it names, verifies the
 *    response's XML signature against THAT provider's metadata certificates (./signature.ts, wrapping-safe),
 *    checks the signed assertion (./checks.ts: issuer, audience, recipient and destination, validity
 *    window, role pairs, RoleSessionName, SessionDuration), and assumes the role if its trust policy lets
 *    the provider federate (./assume.ts, shared with the STS API's AssumeRoleWithSAML).
 * 3. The console's Connect federate endpoint (./federate.ts) calls `connect:GetFederationToken` as the
 *    session and finds the Connect user named exactly the RoleSessionName.
 *
 * Every failure carries the stage, the message a real user sees, and a `detail` naming the broken link.
 */
export {
  type AssumeResult,
  assumeRoleWithSaml,
  decodeSamlResponse,
  nameQualifier,
  parseSamlXml,
  subjectType,
} from './assume.js';
export { awsSamlSignIn } from './aws.js';
export type { AssertionClaims, RolePair } from './checks.js';
export { type FederateUrl, parseFederateUrl } from './federate.js';
export { resolveSignInRoute, type SignInRoute } from './http.js';
export { resolveApp, signIn } from './login.js';
export type { SignInFailure, SignInInput, SignInResult, SignInStage, SignInSuccess } from './types.js';
