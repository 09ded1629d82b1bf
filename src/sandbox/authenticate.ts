/**
 * Who signed an AWS request, as AWS decides it: the sandbox's root key, an IAM user's access key
 * (`CreateAccessKey`), or an assumed-role session's temporary credentials (`AssumeRoleWithSAML`); then the
 * SigV4 signature with that caller's secret. Failures are the services' own authentication errors.
 */
import { type AwsCaller, type SandboxRequest, ServiceError } from './emulator.js';
import { findAccessKey, recordAccessKeyUse } from './iam/index.js';
import { type SigV4Authorization, verifySigV4 } from './sigv4.js';
import type { SandboxState } from './state.js';
import { findStsSession } from './sts/index.js';
import type { ServiceName } from './types.js';

/** The awsQuery services, whose error codes have no `Exception` suffix. */
export const isQuery = (service: ServiceName): boolean => service === 'iam' || service === 'sts';

/** An error whose code is `queryCode` for an awsQuery service and `jsonCode` for a JSON one. */
function authError(
  service: ServiceName,
  queryCode: string,
  jsonCode: string,
  message: string,
  status = 403,
): ServiceError {
  return new ServiceError(isQuery(service) ? queryCode : jsonCode, message, status);
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';

const invalidToken = (service: ServiceName): ServiceError =>
  authError(service, 'InvalidClientTokenId', 'UnrecognizedClientException', INVALID_TOKEN);

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The caller of a signed request, or the error AWS answers. */
export type Authentication = { ok: true; caller: AwsCaller } | { ok: false; error: ServiceError };

/**
 * Authenticate a request for `service` signed as `auth` says: find the caller and its secret, verify the
 * signature, and note an IAM user key's use (`GetAccessKeyLastUsed`). `now` reads the sandbox clock.
 */
export function authenticate(
  state: SandboxState,
  service: ServiceName,
  req: SandboxRequest,
  auth: SigV4Authorization,
  now: () => number,
): Authentication {
  let caller: AwsCaller;
  let secret: string;
  if (auth.accessKeyId === state.sandbox.accessKeyId) {
    caller = { kind: 'root', accessKeyId: auth.accessKeyId };
    secret = state.sandbox.secretAccessKey;
  } else if (auth.accessKeyId.startsWith('ASIA')) {
    // Temporary credentials (AssumeRoleWithSAML): the session token must come with them.
    const session = findStsSession(state.sts, auth.accessKeyId);
    if (!session || req.headers['x-amz-security-token'] !== session.sessionToken) {
      return { ok: false, error: invalidToken(service) };
    }
    if (session.expiresAt <= now()) {
      const message = 'The security token included in the request is expired';
      return { ok: false, error: authError(service, 'ExpiredToken', 'ExpiredTokenException', message) };
    }
    caller = {
      kind: 'assumed-role',
      accessKeyId: auth.accessKeyId,
      roleName: session.roleName,
      roleId: session.roleId,
      roleArn: session.roleArn,
      roleSessionName: session.roleSessionName,
    };
    secret = session.secretAccessKey;
  } else {
    const key = findAccessKey(state.iam, auth.accessKeyId);
    // A deleted and an inactive key look the same to the caller.
    if (key?.status !== 'Active') return { ok: false, error: invalidToken(service) };
    caller = { kind: 'user', accessKeyId: auth.accessKeyId, userName: key.userName, userId: key.userId };
    secret = key.secretAccessKey;
  }
  // Signature expiry is about the caller's clock against the real one; the sandbox clock (which
  // tests may move by days) only ages emulated resources.
  const failure = verifySigV4(req, auth, secret, Date.now());
  if (failure) {
    const error =
      failure.reason === 'incomplete'
        ? authError(service, 'IncompleteSignature', 'IncompleteSignatureException', failure.message, 400)
        : authError(
            service,
            'SignatureDoesNotMatch',
            'InvalidSignatureException',
            failure.reason === 'mismatch' ? SIGNATURE_MISMATCH : failure.message,
          );
    return { ok: false, error };
  }
  if (caller.kind === 'user') {
    recordAccessKeyUse(state.iam, auth.accessKeyId, { at: now(), serviceName: service, region: auth.region });
  }
  return { ok: true, caller };
}
