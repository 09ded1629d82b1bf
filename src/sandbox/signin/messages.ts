/**
 * What users see on AWS sign-in's, the console's and Connect's pages (research/aws.md §1.8 and §4), and
 * the SAML names AWS sign-in reads. Kept here, apart from the library's copies in src/saml, on purpose:
 * the sandbox states AWS's behaviour on its own.
 */

/** AWS sign-in's page for a response it rejects without saying more. */
export const INVALID_SAML_RESPONSE = 'Your request included an invalid SAML response. To logout, click here.';
/** AWS sign-in's page when no certificate of the provider verifies the response. */
export const SIGNATURE_INVALID = 'Error: Response signature invalid';
/** AWS sign-in's page when the role's trust policy refuses the provider (or the role does not exist). */
export const NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithSAML';
/** The Issuer is not the provider metadata's entityID. */
export const ISSUER_NOT_PRESENT = 'Failed to assume role: Issuer not present in specified provider';
/** No `urn:amazon:webservices` audience. */
export const AUDIENCE_MISSING = 'Response does not contain the required audience.';
/** No RoleSessionName attribute. */
export const ROLE_SESSION_NAME_REQUIRED = 'RoleSessionName is required in AuthnResponse';
/** A RoleSessionName AWS refuses. */
export const ROLE_SESSION_NAME_INVALID =
  'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}';
/** The Role attribute names a SAML provider that does not exist in the account. */
export const PROVIDER_MISSING = "Specified provider doesn't exist.";
/** The console's page when the role may not call `connect:GetFederationToken` (troubleshoot-saml). */
export const ACCESS_DENIED = 'Access denied, Please contact your AWS account administrator for assistance.';
/** Connect's page when no user is named exactly the RoleSessionName (troubleshoot-saml). */
export const NOT_ONBOARDED =
  'Access Denied. Your account has been authenticated, but has not been onboarded to this application.';
/** Not an error page: AWS sign-in succeeded, and the browser went to the console, not to Connect. */
export const CONSOLE_INSTEAD = 'You are signed in to the AWS Management Console, not to Amazon Connect.';
/** GetFederationToken's answer for an instance that does not exist. */
export const NO_INSTANCE = 'Instance not found';

export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
export const ROLE_SESSION_NAME_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';
export const SESSION_DURATION_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SessionDuration';
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** The audience AWS requires (commercial partition); GovCloud's is `urn:amazon:webservices:govcloud`. */
export const AWS_AUDIENCE = 'urn:amazon:webservices';
export const GOV_AUDIENCE = 'urn:amazon:webservices:govcloud';
/** AWS sign-in's global SAML endpoint. */
export const SIGNIN_URL = 'https://signin.aws.amazon.com/saml';
export const GOV_SIGNIN_URL = 'https://signin.amazonaws-us-gov.com/saml';
