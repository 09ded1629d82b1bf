/**
 * ARNs of the resources the flow touches: parse and build, with messages that say what was expected.
 */

export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

const ARN = /^arn:(aws|aws-us-gov|aws-cn):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

export function parseArn(value: string): Arn | undefined {
  const m = ARN.exec(value);
  if (!m) return undefined;
  const [, partition, service, region, accountId, resource] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { partition, service, region, accountId, resource };
}

export function isArn(value: string): boolean {
  return value.startsWith('arn:');
}

/** A Connect instance id is a UUID; the instance ARN ends with `instance/<id>`. */
export const CONNECT_INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The instance id inside a Connect instance ARN, if `value` is one. */
export function instanceIdFromArn(value: string): string | undefined {
  const arn = parseArn(value);
  if (arn?.service !== 'connect') return undefined;
  const m = /^instance\/([^/]+)$/.exec(arn.resource);
  return m?.[1];
}
