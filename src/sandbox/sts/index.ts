/**
 * The emulated AWS STS (awsQuery, like IAM: a form-encoded `POST /` with `Action=…&Version=2011-06-15`,
 * XML responses, `<ErrorResponse>` errors in the STS namespace), from the Smithy model:
 *
 * - `GetCallerIdentity`: who signed the request — the sandbox's root credentials, an IAM user's access
 *   key (CreateAccessKey), or temporary credentials of an assumed-role session.
 * - `AssumeRoleWithSAML`: unsigned, as the SDKs send it; the SAML response goes through the same checks
 *   as the sandbox's AWS sign-in (../signin/assume.ts). The temporary credentials it returns sign
 *   requests to the sandbox (with `X-Amz-Security-Token`) until they expire, as that role's session.
 *
 * Every other STS operation answers `NotImplemented` naming it.
 */
import { type EmulatorContext, notImplemented, type ServiceEmulator, ServiceError } from '../emulator.js';
import { createQueryEmulator, type QueryHandler } from '../query-service.js';
import {
  assumeRoleWithSaml,
  decodeSamlResponse,
  nameQualifier as nameQualifierOf,
  parseSamlXml,
  subjectType,
} from '../signin/index.js';
import type { StsSessionState, StsState } from './state.js';

export { queryParams } from '../query-service.js';
export { createStsState, type StsSessionState, type StsState } from './state.js';

const API_VERSION = '2011-06-15';

/** The operations STS answers without a signature (the SDKs send them unsigned). */
export const UNSIGNED_STS_ACTIONS: readonly string[] = ['AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function stsError(code: string, message: string, status = 400): ServiceError {
  return new ServiceError(code, message, status, { fault: status >= 500 ? 'server' : 'client' });
}

function sts(ctx: EmulatorContext): StsState {
  return ctx.state.sts;
}

/** The session of temporary credentials, or undefined (unknown key). */
export function findStsSession(state: StsState, accessKeyId: string): StsSessionState | undefined {
  return Object.hasOwn(state.sessions, accessKeyId) ? state.sessions[accessKeyId] : undefined;
}

function getCallerIdentity(ctx: EmulatorContext): object {
  const caller = ctx.caller;
  if (caller?.kind === 'user') {
    const user = ctx.state.iam.users.find((u) => u.name === caller.userName);
    return {
      UserId: caller.userId,
      Account: ctx.accountId,
      Arn: user?.arn ?? `arn:aws:iam::${ctx.accountId}:user/${caller.userName}`,
    };
  }
  if (caller?.kind === 'assumed-role') {
    return {
      UserId: `${caller.roleId}:${caller.roleSessionName}`,
      Account: ctx.accountId,
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${caller.roleName}/${caller.roleSessionName}`,
    };
  }
  return { UserId: ctx.accountId, Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
}

interface AssumeRoleWithSamlInput {
  RoleArn: string;
  PrincipalArn: string;
  SAMLAssertion: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: unknown[];
}

function assumeRoleWithSamlOperation(ctx: EmulatorContext, input: AssumeRoleWithSamlInput): object {
  if (input.Policy !== undefined || (input.PolicyArns?.length ?? 0) > 0) {
    throw notImplemented('AWS STS', 'AssumeRoleWithSAML session policies (Policy, PolicyArns)');
  }
  const now = ctx.now();
  const xml = decodeSamlResponse(input.SAMLAssertion);
  const parsed = xml === undefined ? undefined : parseSamlXml(xml);
  if (xml === undefined || !parsed?.ok) {
    throw stsError(
      'InvalidIdentityToken',
      'Invalid base64 SAMLResponse or the response is not a SAML document',
    );
  }
  const assumed = assumeRoleWithSaml(ctx, {
    xml,
    root: parsed.root,
    pair: { roleArn: input.RoleArn, providerArn: input.PrincipalArn },
    now,
    durationSeconds: input.DurationSeconds,
  });
  if (!assumed.ok) {
    const status = assumed.sts.code === 'AccessDenied' ? 403 : 400;
    throw stsError(assumed.sts.code, assumed.sts.message, status);
  }
  const { role, provider, claims } = assumed.session;
  const seconds = input.DurationSeconds ?? claims.sessionDuration ?? 3600;
  // Expired sessions are forgotten as new ones are made: the state does not grow without bound.
  for (const [key, session] of Object.entries(sts(ctx).sessions)) {
    if (session.expiresAt <= now) delete sts(ctx).sessions[key];
  }
  const session: StsSessionState = {
    accessKeyId: `ASIA${ctx.randomId(16, ALPHANUMERIC)}`,
    secretAccessKey: ctx.randomId(40, SECRET_ALPHABET),
    sessionToken: `IQoJb3JpZ2luX2Vj${ctx.randomId(300, SECRET_ALPHABET)}`,
    expiresAt: now + seconds * 1000,
    createdAt: now,
    roleName: role.name,
    roleArn: role.arn,
    roleId: role.id,
    roleSessionName: claims.roleSessionName,
    providerArn: provider.arn,
    subject: claims.nameId,
  };
  sts(ctx).sessions[session.accessKeyId] = session;
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiresAt,
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.id}:${claims.roleSessionName}`,
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.name}/${claims.roleSessionName}`,
    },
    Subject: claims.nameId,
    SubjectType: subjectType(claims.nameIdFormat),
    Issuer: claims.issuer,
    Audience: claims.recipient,
    NameQualifier: nameQualifierOf(claims.issuer, ctx.accountId, provider.name),
  };
}

const HANDLERS: Readonly<Record<string, QueryHandler>> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRoleWithSAML: assumeRoleWithSamlOperation,
};

export function createStsEmulator(): ServiceEmulator {
  return createQueryEmulator({
    service: 'sts',
    title: 'AWS STS',
    apiVersion: API_VERSION,
    handlers: HANDLERS,
    // No IAM action: GetCallerIdentity needs no permission ("No permissions are required"), and
    // AssumeRoleWithSAML is authorised by the role's trust policy, whoever (if anyone) signed it.
    authorize: false,
    error: stsError,
    throttleError: () => stsError('Throttling', 'Rate exceeded'),
    internalError: () => stsError('InternalFailure', 'An internal error occurred.', 500),
  });
}
