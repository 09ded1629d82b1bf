/** The app's desired state from the input, what differs from the live app, and the create body. */
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { CONNECT_INSTANCE_ID } from '../../providers/aws/arn.js';
import { ownershipMarker } from './ownership.js';
import { AWS_APP_NAME, type JsonObject, type OktaAppJson } from './read.js';
import type { OktaFederationAppInput, OktaGroupMapping } from './types.js';

/** The `settings.app` keys Okta never returns (write-only) and that a replace must not send back as null. */
export const WRITE_ONLY_APP_SETTINGS = ['secretKey', 'accessKey'] as const;

export const ARN_IN_TEXT = /arn:aws[a-z-]*:connect:[a-z0-9-]*:\d{12}:instance\/([^/?&#\s]+)/;

/** Check a relay state URL; returns a message, or undefined when it is good. */
export function relayStateProblem(relayState: unknown): string | undefined {
  if (typeof relayState !== 'string' || relayState.length === 0) {
    return 'the relay state URL is required (build it with buildRelayState)';
  }
  let decoded = relayState;
  try {
    decoded = decodeURIComponent(relayState);
  } catch {
    // Keep the raw text; the URL check below reports it.
  }
  const arn = ARN_IN_TEXT.exec(decoded);
  if (arn) {
    return (
      `contains the Connect instance ARN; the relay state needs the instance id ('${arn[1]}'). ` +
      'Build it with buildRelayState({ region, instanceId })'
    );
  }
  let url: URL;
  try {
    url = new URL(relayState);
  } catch {
    return `'${relayState}' is not a URL; build it with buildRelayState({ region, instanceId })`;
  }
  if (url.protocol !== 'https:') return `must be an https URL, got '${url.protocol}'`;
  const m = /^\/connect\/federate\/([^/]+)$/.exec(url.pathname);
  if (!m) {
    return `the path must be /connect/federate/<instance-id>, got '${url.pathname}'; build it with buildRelayState`;
  }
  if (!CONNECT_INSTANCE_ID.test(m[1] ?? '')) {
    return `'${m[1]}' in the path is not a Connect instance id (a lower-case UUID); build it with buildRelayState`;
  }
  if (relayState.length > 1024) return 'is longer than 1024 characters';
  return undefined;
}

/** Check a session duration (AWS accepts 900–43200 s). */
export function sessionDurationProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 900 || value > 43_200) {
    return `must be a whole number of seconds from 900 to 43200, got ${show(value)}`;
  }
  return undefined;
}

export interface ResolvedAppInput {
  label: string;
  relayState: string;
  sessionDuration: number;
  awsEnvironmentType: string;
  groupMapping: Required<OktaGroupMapping> | undefined;
  adopt: boolean;
  dryRun: boolean;
}

export function validate(input: OktaFederationAppInput): ResolvedAppInput {
  if (!isObject(input)) throw new ConfigError('input', 'expected an object');
  const issues: { field: string; message: string }[] = [];
  const issue = (field: string, message: string | undefined) => {
    if (message) issues.push({ field, message });
  };
  const { label, relayState, sessionDuration = 3600, awsEnvironmentType = 'aws.amazon' } = input;
  if (typeof label !== 'string' || label.trim().length === 0) issue('label', 'a non-empty label is required');
  else if (label.length > 100) issue('label', `must be at most 100 characters, got ${label.length}`);
  else if (label !== label.trim()) issue('label', 'must not start or end with white space');
  issue('relayState', relayStateProblem(relayState));
  issue('sessionDuration', sessionDurationProblem(sessionDuration));
  if (typeof awsEnvironmentType !== 'string' || !/^[a-z][a-z0-9.-]{0,63}$/.test(awsEnvironmentType)) {
    issue(
      'awsEnvironmentType',
      `expected an Okta AWS environment such as 'aws.amazon', got ${show(awsEnvironmentType)}`,
    );
  }
  let groupMapping: Required<OktaGroupMapping> | undefined;
  if (input.groupMapping !== undefined) {
    const g = input.groupMapping;
    if (!isObject(g)) issue('groupMapping', 'expected { groupFilter, roleValuePattern, joinAllRoles? }');
    else {
      const text = (field: keyof OktaGroupMapping, value: unknown) => {
        if (typeof value !== 'string' || value.trim().length === 0)
          issue(`groupMapping.${field}`, 'is required');
        else if (value.length > 1024) issue(`groupMapping.${field}`, 'must be at most 1024 characters');
      };
      text('groupFilter', g.groupFilter);
      text('roleValuePattern', g.roleValuePattern);
      if (g.joinAllRoles !== undefined && typeof g.joinAllRoles !== 'boolean') {
        issue('groupMapping.joinAllRoles', 'must be a boolean');
      }
      groupMapping = {
        groupFilter: g.groupFilter,
        roleValuePattern: g.roleValuePattern,
        joinAllRoles: g.joinAllRoles ?? false,
      };
    }
  }
  for (const flag of ['adopt', 'dryRun'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') issue(flag, 'must be a boolean');
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  return {
    label,
    relayState,
    sessionDuration,
    awsEnvironmentType,
    groupMapping,
    adopt: input.adopt ?? false,
    dryRun: input.dryRun ?? false,
  };
}

/** The `settings.app` keys this step manages, for the given input. */
export function desiredAppSettings(input: ResolvedAppInput): JsonObject {
  return {
    awsEnvironmentType: input.awsEnvironmentType,
    loginURL: input.relayState,
    sessionDuration: input.sessionDuration,
    ...(input.groupMapping
      ? {
          useGroupMapping: true,
          groupFilter: input.groupMapping.groupFilter,
          roleValuePattern: input.groupMapping.roleValuePattern,
          joinAllRoles: input.groupMapping.joinAllRoles,
        }
      : { useGroupMapping: false }),
  };
}

export const SETTING_LABELS: Record<string, string> = {
  awsEnvironmentType: 'AWS environment type',
  loginURL: 'login URL',
  sessionDuration: 'session duration',
  useGroupMapping: 'use group mapping',
  groupFilter: 'group filter',
  roleValuePattern: 'role value pattern',
  joinAllRoles: 'join all roles',
};

/**
 * The app as it should be: `current` with the managed fields set. Returns the new app and the changes
 * (empty when nothing differs). Every other field — `identityProviderArn` included — is kept.
 */
export function reconcile(
  ctx: Pick<SsoContext, 'stack'>,
  current: OktaAppJson,
  input: ResolvedAppInput,
  adopting: boolean,
): { app: OktaAppJson; changes: string[] } {
  const app = clone(current);
  const changes: string[] = [];
  const settings = isObject(app.settings) ? app.settings : {};
  app.settings = settings;
  const appSettings = isObject(settings.app) ? settings.app : {};
  settings.app = appSettings;
  const signOn = isObject(settings.signOn) ? settings.signOn : {};
  settings.signOn = signOn;

  if (app.signOnMode !== 'SAML_2_0') {
    changes.push(`sign-on mode: ${show(app.signOnMode)} → 'SAML_2_0'`);
    app.signOnMode = 'SAML_2_0';
  }
  if (signOn.defaultRelayState !== input.relayState) {
    changes.push(`relay state: ${show(signOn.defaultRelayState)} → '${input.relayState}'`);
    signOn.defaultRelayState = input.relayState;
  }
  for (const [key, value] of Object.entries(desiredAppSettings(input))) {
    if (appSettings[key] !== value) {
      changes.push(`${SETTING_LABELS[key] ?? key}: ${show(appSettings[key])} → ${show(value)}`);
      appSettings[key] = value;
    }
  }
  if (adopting) {
    const notes = isObject(settings.notes) ? settings.notes : {};
    settings.notes = notes;
    const admin = typeof notes.admin === 'string' && notes.admin.length > 0 ? notes.admin : undefined;
    notes.admin = admin ? `${admin}\n${ownershipMarker(ctx.stack)}` : ownershipMarker(ctx.stack);
    changes.push(`admin notes: ownership marker '${ownershipMarker(ctx.stack)}' added (adopted)`);
  }
  return { app, changes };
}

/** The body of the create call: everything the step manages, `settings.app` and the relay state together. */
export function createBody(ctx: Pick<SsoContext, 'stack'>, input: ResolvedAppInput): JsonObject {
  return {
    name: AWS_APP_NAME,
    label: input.label,
    signOnMode: 'SAML_2_0',
    settings: {
      app: desiredAppSettings(input),
      signOn: { defaultRelayState: input.relayState },
      notes: { admin: ownershipMarker(ctx.stack), enduser: null },
    },
  };
}

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const show = (v: unknown): string =>
  v === undefined || v === null ? 'unset' : typeof v === 'string' ? `'${v}'` : String(v);
