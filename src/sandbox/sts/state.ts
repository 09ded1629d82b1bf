/**
 * State of the emulated AWS STS (plain JSON: see ../state.ts): the temporary credentials it issued.
 * Times are epoch milliseconds.
 */

/** Temporary credentials `AssumeRoleWithSAML` issued, and the session they stand for. */
export interface StsSessionState {
  /** `ASIA…` */
  accessKeyId: string;
  /** The secret (redacted in `sb.state()`). */
  secretAccessKey: string;
  /** The session token the requests must carry in `X-Amz-Security-Token` (redacted in `sb.state()`). */
  sessionToken: string;
  /** When the credentials expire. */
  expiresAt: number;
  /** When they were issued. */
  createdAt: number;
  /** The role assumed. */
  roleName: string;
  /** Its ARN. */
  roleArn: string;
  /** Its id (`AROA…`). */
  roleId: string;
  /** The RoleSessionName: the SAML RoleSessionName attribute. */
  roleSessionName: string;
  /** The SAML provider the assertion came through. */
  providerArn: string;
  /** The assertion's NameID. */
  subject: string;
}

/** The emulated STS's part of the sandbox state. */
export interface StsState {
  /** By access key id. */
  sessions: Record<string, StsSessionState>;
}

export function createStsState(): StsState {
  return { sessions: {} };
}
