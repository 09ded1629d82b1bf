/**
 * Input checks of an assignment (guide step 9), shared by `assignUser` and `reconcileUsers`: the app id,
 * role name and instance id, the Okta login, and the Connect side. Each returns its problems with the
 * field named, so that a caller reports every problem at once and makes no request.
 */

import type { ConnectPhoneType } from '../../config/types.js';
import { CONNECT_INSTANCE_ID, instanceIdFromArn, isArn } from '../../providers/aws/arn.js';

/** The Connect side of an assignment. */
export interface AssignUserConnectInput {
  /**
   * Security profiles by name: `Admin`, `Agent`, `CallCenterManager`, `QualityAnalyst` (every instance
   * has them) or a custom profile's exact name; 1–10 names. An existing user's profiles are made equal
   * to these.
   */
  securityProfiles: string[];
  /**
   * Routing profile by name. Default `Basic Routing Profile` when the user is created; an existing user's
   * routing profile is changed only when this is given.
   */
  routingProfile?: string;
  /** First name of a new Connect user. Default: the Okta user's `firstName`. */
  firstName?: string;
  /** Last name of a new Connect user. Default: the Okta user's `lastName`. */
  lastName?: string;
  /** Phone of a new Connect user. Default `SOFT_PHONE`. */
  phoneType?: ConnectPhoneType;
  /** E.164 desk phone number (`+12065550100`); required with `DESK_PHONE`, refused otherwise. */
  deskPhoneNumber?: string;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ROLE = /^\S.{0,200} -- [\w+=,.@-]{1,64}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const PROFILE_NAME_MAX = 127;
const PERSON_NAME_MAX = 100;

type Issue = { field: string; message: string };

function checkText(issues: Issue[], field: string, value: unknown, max: number, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim().length === 0) {
    issues.push({ field, message: 'must be a non-empty string' });
  } else if (value.length > max) {
    issues.push({ field, message: `must be at most ${max} characters (got ${value.length})` });
  } else if (/\p{Cc}/u.test(value)) {
    issues.push({ field, message: 'must not contain control characters' });
  }
}

/** Problems of the app id, role name and instance id of an assignment (field names as given). */
export function assignmentTargetIssues(input: {
  appId: unknown;
  roleName: unknown;
  instanceId: unknown;
}): Issue[] {
  const issues: Issue[] = [];
  if (typeof input.appId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(input.appId)) {
    issues.push({
      field: 'appId',
      message: `expected an Okta app id like 0oa1b2c3d4 (got '${String(input.appId)}')`,
    });
  }
  if (
    typeof input.roleName !== 'string' ||
    !(ROLE_NAME.test(input.roleName) || ACCOUNT_ROLE.test(input.roleName))
  ) {
    issues.push({
      field: 'roleName',
      message: `expected an IAM role name (1–64 of A-Z a-z 0-9 _+=,.@-) or '<account> -- <role>' (got '${String(input.roleName)}')`,
    });
  }
  const { instanceId } = input;
  if (typeof instanceId !== 'string' || instanceId.length === 0) {
    issues.push({ field: 'instanceId', message: 'the Connect instance id is required' });
  } else if (isArn(instanceId)) {
    const id = instanceIdFromArn(instanceId);
    issues.push({
      field: 'instanceId',
      message: `expected the instance id, got an ARN ('${instanceId}')${id ? `: pass its last part, '${id}'` : ''}`,
    });
  } else if (!CONNECT_INSTANCE_ID.test(instanceId)) {
    issues.push({
      field: 'instanceId',
      message: `'${instanceId}' is not a Connect instance id (a lower-case UUID)`,
    });
  }
  return issues;
}

/** Problems of an Okta login (1–100 characters, no control characters). */
export function loginIssues(field: string, login: unknown): Issue[] {
  const issues: Issue[] = [];
  checkText(issues, field, login, 100, true);
  return issues;
}

/**
 * Problems of the Connect side of an assignment (`{ securityProfiles, routingProfile?, firstName?,
 * lastName?, phoneType?, deskPhoneNumber? }`), with fields named under `prefix` (`connect`,
 * `users[3].connect`).
 */
export function connectInputIssues(prefix: string, c: unknown): Issue[] {
  const issues: Issue[] = [];
  if (typeof c !== 'object' || c === null) {
    issues.push({
      field: prefix,
      message: 'must be an object { securityProfiles, routingProfile?, … }',
    });
    return issues;
  }
  const conn = c as Partial<Record<keyof AssignUserConnectInput, unknown>>;
  const securityProfiles = conn.securityProfiles;
  if (!Array.isArray(securityProfiles) || securityProfiles.length === 0 || securityProfiles.length > 10) {
    issues.push({ field: `${prefix}.securityProfiles`, message: 'must list 1–10 security profile names' });
  } else {
    const seen = new Set<unknown>();
    securityProfiles.forEach((name: unknown, i) => {
      const field = `${prefix}.securityProfiles[${i}]`;
      checkText(issues, field, name, PROFILE_NAME_MAX, true);
      if (seen.has(name)) issues.push({ field, message: `'${String(name)}' is listed twice` });
      seen.add(name);
    });
  }
  checkText(issues, `${prefix}.routingProfile`, conn.routingProfile, PROFILE_NAME_MAX, false);
  checkText(issues, `${prefix}.firstName`, conn.firstName, PERSON_NAME_MAX, false);
  checkText(issues, `${prefix}.lastName`, conn.lastName, PERSON_NAME_MAX, false);
  const phoneType = conn.phoneType ?? 'SOFT_PHONE';
  if (phoneType !== 'SOFT_PHONE' && phoneType !== 'DESK_PHONE') {
    issues.push({
      field: `${prefix}.phoneType`,
      message: `must be SOFT_PHONE or DESK_PHONE (got '${String(phoneType)}')`,
    });
  } else if (phoneType === 'DESK_PHONE' && conn.deskPhoneNumber === undefined) {
    issues.push({ field: `${prefix}.deskPhoneNumber`, message: 'is required with phoneType DESK_PHONE' });
  } else if (phoneType === 'SOFT_PHONE' && conn.deskPhoneNumber !== undefined) {
    issues.push({ field: `${prefix}.deskPhoneNumber`, message: 'is only used with phoneType DESK_PHONE' });
  }
  if (
    conn.deskPhoneNumber !== undefined &&
    (typeof conn.deskPhoneNumber !== 'string' || !E164.test(conn.deskPhoneNumber))
  ) {
    issues.push({
      field: `${prefix}.deskPhoneNumber`,
      message: 'must be an E.164 number such as +12065550100',
    });
  }
  return issues;
}
