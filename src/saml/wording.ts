/**
 * What AWS sign-in shows when it refuses a SAML response (its own wording, so a user can match the
 * page they saw), and the fixes several checks share.
 */

/** AWS's wording for a response it rejects without saying more. */
export const AWS_INVALID_SAML_RESPONSE =
  'Your request included an invalid SAML response. To logout, click here.';
/** AWS's wording when the signature does not verify with the identity provider's certificates. */
export const AWS_SIGNATURE_INVALID = 'Error: Response signature invalid';
/** AWS's wording when the role cannot be assumed with this response. */
export const AWS_NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithSAML';
/** AWS's wording when the Issuer is not the identity provider's entity ID. */
export const AWS_ISSUER_NOT_PRESENT = 'Failed to assume role: Issuer not present in specified provider';
/** AWS's wording when the AWS audience is missing. */
export const AWS_AUDIENCE_MISSING = 'Response does not contain the required audience.';
/** AWS's wording when the RoleSessionName attribute is missing. */
export const AWS_ROLE_SESSION_NAME_REQUIRED = 'RoleSessionName is required in AuthnResponse';
/** AWS's wording when the RoleSessionName attribute is not a valid session name. */
export const AWS_ROLE_SESSION_NAME_INVALID =
  'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}';
/** AWS's wording when the SAML provider a Role value names does not exist. */
export const AWS_PROVIDER_MISSING = "Specified provider doesn't exist.";

/** How to capture a SAMLResponse again. */
export const RECAPTURE_FIX =
  'Capture the SAMLResponse again: browser developer tools → Network → the POST to signin.aws.amazon.com/saml → Payload → SAMLResponse (the whole value, URL-decoded), or use a SAML tracer extension.';

/** How to bring the IAM identity provider's metadata up to date with the Okta app's. */
export const UPDATE_METADATA_FIX =
  "Update the IAM identity provider's metadata from the Okta app (Okta: the app → Sign On → SAML Signing Certificates → Actions → View IdP metadata; AWS: IAM → Identity providers → the provider → Replace metadata), or run `doctor` / `linkIdentityProvider`, which do it for you.";
