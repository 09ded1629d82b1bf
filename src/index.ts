/**
 * connect-okta-sso: Single Sign-On for Amazon Connect with Okta as the SAML 2.0 identity provider.
 *
 * The step functions (`createSamlInstance`, `createFederationPolicy`, `createOktaFederationApp`,
 * `linkIdentityProvider`, `buildRelayState`, `assignUser`) and `provisionConnectSso()` land here; the
 * sandbox that emulates AWS and Okta is `connect-okta-sso/sandbox`.
 * @packageDocumentation
 */
export {};
