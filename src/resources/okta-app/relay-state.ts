/**
 * Guide step 6: the relay state, the URL Okta sends the browser to after a successful SAML sign-in.
 * It must carry the Connect instance **id** (not its ARN) and, for the agent's softphone, a
 * `destination` path.
 */
import { ConfigError } from '../../core/errors.js';
import { checkRegion } from '../../core/regions.js';
import { CONNECT_INSTANCE_ID, instanceIdFromArn, isArn } from '../../providers/aws/arn.js';

/** Where the user lands: the admin website, the Contact Control Panel, the agent workspace, or a path. */
export type RelayDestination = 'admin' | 'ccp' | 'agent-workspace' | (string & {});

/** What a relay state is built from: {@link buildRelayState}. */
export interface RelayStateInput {
  /** The instance's region, e.g. `us-east-1` (`us-gov-west-1` for GovCloud). */
  region: string;
  /** The instance id (a UUID) — not the instance ARN. */
  instanceId: string;
  /** Default `admin`. A custom destination is a path starting with `/` (e.g. `/ccp-v2/chat`). */
  destination?: RelayDestination;
  /** Append `new_domain=true`, for instances on the `<alias>.my.connect.aws` domain. */
  newDomain?: boolean;
  /**
   * Use the pre-2023 CCP path `/connect/ccp-v2` (the form of the original AWS blog post) instead of the
   * current `/ccp-v2`. Only for instances still on the `awsapps.com` domain.
   */
  legacyCcpPath?: boolean;
}

const DESTINATIONS: Record<'ccp' | 'agent-workspace', string> = {
  ccp: '/ccp-v2',
  'agent-workspace': '/agent-app-v2',
};

/**
 * Build the relay state URL for a Connect instance.
 *
 * - admin: `https://<region>.console.aws.amazon.com/connect/federate/<instance-id>`
 * - CCP: the same with `?destination=%2Fccp-v2`
 * - agent workspace: `?destination=%2Fagent-app-v2`
 * - GovCloud: host `console.amazonaws-us-gov.com`
 *
 * @throws {ConfigError} naming the field: an ARN in place of the instance id, a region outside the
 *   `aws` and `aws-us-gov` partitions, a destination that is not a path.
 */
export function buildRelayState(input: RelayStateInput): string {
  const { region, instanceId, destination = 'admin', newDomain = false, legacyCcpPath = false } = input;
  const regionCheck = checkRegion(region);
  if (!regionCheck.ok) throw new ConfigError('region', regionCheck.message);
  if (typeof instanceId !== 'string' || instanceId.length === 0) {
    throw new ConfigError('instanceId', 'the Connect instance id is required');
  }
  if (isArn(instanceId)) {
    const id = instanceIdFromArn(instanceId);
    throw new ConfigError(
      'instanceId',
      `expected the instance id, got an ARN ('${instanceId}')` +
        (id ? `: the relay state needs only its last part, '${id}'` : ''),
    );
  }
  if (!CONNECT_INSTANCE_ID.test(instanceId)) {
    throw new ConfigError('instanceId', `'${instanceId}' is not a Connect instance id (a lower-case UUID)`);
  }
  let path: string | undefined;
  if (destination === 'ccp') path = legacyCcpPath ? '/connect/ccp-v2' : DESTINATIONS.ccp;
  else if (destination === 'agent-workspace') path = DESTINATIONS['agent-workspace'];
  else if (destination !== 'admin') {
    if (
      typeof destination !== 'string' ||
      !destination.startsWith('/') ||
      destination.startsWith('//') ||
      /\s/.test(destination)
    ) {
      throw new ConfigError(
        'destination',
        `expected 'admin', 'ccp', 'agent-workspace' or a path starting with '/', got '${String(destination)}'`,
      );
    }
    path = destination;
  }
  const host =
    regionCheck.partition === 'aws-us-gov'
      ? 'console.amazonaws-us-gov.com'
      : `${region}.console.aws.amazon.com`;
  const params: string[] = [];
  if (path) params.push(`destination=${encodeURIComponent(path)}`);
  if (newDomain) params.push('new_domain=true');
  return `https://${host}/connect/federate/${instanceId}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}
