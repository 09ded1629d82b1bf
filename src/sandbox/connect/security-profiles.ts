/**
 * CreateSecurityProfile, DescribeSecurityProfile and DeleteSecurityProfile (ListSecurityProfiles is in
 * `profiles.ts` with the other lists). Names are unique in an instance (DuplicateResourceException), an
 * instance holds at most {@link MAX_SECURITY_PROFILES}, and a profile some user still has cannot be deleted
 * (ResourceInUseException, as Connect answers: take it off the users first).
 */
import type { EmulatorContext } from '../emulator.js';
import {
  activeInstance,
  connectError,
  copyRecord,
  getOwn,
  newNamedResource,
  notFound,
  requireBelowQuota,
  timestamp,
} from './common.js';
import type { InstanceIdInput } from './instances.js';
import type { ConnectSecurityProfileState } from './state.js';

/** Security profiles per instance (Connect service quotas). */
export const MAX_SECURITY_PROFILES = 100;

export interface CreateSecurityProfileInput {
  InstanceId: string;
  SecurityProfileName: string;
  Description?: string;
  Permissions?: string[];
  Tags?: Record<string, string>;
}

export function createSecurityProfile(
  ctx: EmulatorContext,
  input: CreateSecurityProfileInput,
): { SecurityProfileId: string; SecurityProfileArn: string } {
  const instance = activeInstance(ctx, input.InstanceId);
  const profiles = Object.values(instance.securityProfiles);
  if (profiles.some((p) => p.name === input.SecurityProfileName)) {
    throw connectError(
      'DuplicateResourceException',
      `A security profile named ${input.SecurityProfileName} already exists.`,
    );
  }
  requireBelowQuota(profiles.length, MAX_SECURITY_PROFILES, 'security profiles');
  const profile: ConnectSecurityProfileState = {
    ...newNamedResource(ctx, instance, 'security-profile', input.SecurityProfileName, input.Tags),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    permissions: [...new Set(input.Permissions ?? [])],
  };
  instance.securityProfiles[profile.id] = profile;
  return { SecurityProfileId: profile.id, SecurityProfileArn: profile.arn };
}

function requireProfile(
  ctx: EmulatorContext,
  input: InstanceIdInput & { SecurityProfileId: string },
): { instance: ReturnType<typeof activeInstance>; profile: ConnectSecurityProfileState } {
  const instance = activeInstance(ctx, input.InstanceId);
  const profile = getOwn(instance.securityProfiles, input.SecurityProfileId);
  if (!profile) throw notFound(`Security profile not found: ${input.SecurityProfileId}`);
  return { instance, profile };
}

export function describeSecurityProfile(
  ctx: EmulatorContext,
  input: InstanceIdInput & { SecurityProfileId: string },
) {
  const { instance, profile } = requireProfile(ctx, input);
  return {
    SecurityProfile: {
      Id: profile.id,
      OrganizationResourceId: instance.id,
      Arn: profile.arn,
      SecurityProfileName: profile.name,
      Description: profile.description,
      Tags: copyRecord(profile.tags),
      LastModifiedTime: timestamp(profile.lastModifiedAt),
      LastModifiedRegion: profile.lastModifiedRegion,
    },
  };
}

export function deleteSecurityProfile(
  ctx: EmulatorContext,
  input: InstanceIdInput & { SecurityProfileId: string },
): Record<string, never> {
  const { instance, profile } = requireProfile(ctx, input);
  const users = Object.values(instance.users).filter((u) => u.securityProfileIds.includes(profile.id));
  if (users.length > 0) {
    throw connectError(
      'ResourceInUseException',
      `Security profile ${profile.id} is assigned to ${users.length} user(s); remove it from them first.`,
    );
  }
  delete instance.securityProfiles[profile.id];
  return {};
}
