/** Validation of the policy steps' input (before any call). */
import { checkRegion } from '../../core/regions.js';
import { CONNECT_INSTANCE_ID, parseArn } from '../../providers/aws/arn.js';

export type Issue = { field: string; message: string };

export const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export function checkPolicyName(value: unknown, fallback: string, issues: Issue[]): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !POLICY_NAME.test(value)) {
    issues.push({
      field: 'policyName',
      message: `expected 1–128 letters, digits or '+=,.@_-', got ${JSON.stringify(value)}`,
    });
  }
  return String(value);
}

export function checkOptions(input: unknown, issues: Issue[]): void {
  if (typeof input !== 'object' || input === null) {
    issues.push({ field: 'input', message: 'expected an object' });
    return;
  }
  for (const field of ['adopt', 'dryRun'] as const) {
    const value = (input as Record<string, unknown>)[field];
    if (value !== undefined && typeof value !== 'boolean') {
      issues.push({ field, message: `expected true or false, got ${JSON.stringify(value)}` });
    }
  }
}

export const INSTANCE_ARN_FORM = 'arn:aws:connect:<region>:<12-digit account id>:instance/<instance id>';

/** Check a Connect instance ARN; returns its parts when valid, else records why not. */
export function checkInstanceArn(
  value: unknown,
  issues: Issue[],
): { partition: 'aws' | 'aws-us-gov'; accountId: string; instanceId: string } | undefined {
  const fail = (message: string) => {
    issues.push({ field: 'instanceArn', message });
    return undefined;
  };
  if (value === undefined || value === '') return fail(`is required (expected ${INSTANCE_ARN_FORM})`);
  if (typeof value !== 'string') return fail(`expected a string, got ${typeof value}`);
  const given = `'${value}'`;
  if (CONNECT_INSTANCE_ID.test(value.toLowerCase())) {
    return fail(
      `got the instance id ${given}; the policy needs the instance ARN, ` +
        `arn:aws:connect:<region>:<account id>:instance/${value} (DescribeInstance's Instance.Arn)`,
    );
  }
  const arn = parseArn(value);
  if (!arn) return fail(`${given} is not an ARN (expected ${INSTANCE_ARN_FORM})`);
  if (arn.partition === 'aws-cn') {
    return fail(`${given} is in the aws-cn partition, where Amazon Connect is not offered`);
  }
  if (arn.service !== 'connect') {
    return fail(
      `${given} is the ARN of a ${arn.service} resource, not of a Connect instance (expected ${INSTANCE_ARN_FORM})`,
    );
  }
  const m = /^instance\/([^/]+)$/.exec(arn.resource);
  if (!m) {
    return fail(
      `${given} is the ARN of the Connect resource '${arn.resource}', not of an instance (expected ${INSTANCE_ARN_FORM})`,
    );
  }
  const instanceId = m[1] as string;
  if (!CONNECT_INSTANCE_ID.test(instanceId)) {
    return fail(`${given} ends in '${instanceId}', which is not a Connect instance id (a lower-case UUID)`);
  }
  if (!/^\d{12}$/.test(arn.accountId)) return fail(`${given} has no 12-digit account id`);
  const region = checkRegion(arn.region);
  if (!region.ok) return fail(`${given}: ${region.message}`);
  if (region.partition !== arn.partition) {
    return fail(
      `${given}: region '${arn.region}' is in the ${region.partition} partition, not ${arn.partition}`,
    );
  }
  return { partition: region.partition, accountId: arn.accountId, instanceId };
}
