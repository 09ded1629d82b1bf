/**
 * AWS partitions and regions the library knows. Amazon Connect is offered in the `aws` and
 * `aws-us-gov` partitions only; it does not exist in China (`aws-cn`).
 */
export type Partition = 'aws' | 'aws-us-gov';

// biome-ignore format: grouped by geography
const COMMERCIAL_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1',
] as const;

const GOVCLOUD_REGIONS = ['us-gov-west-1', 'us-gov-east-1'] as const;

/** Regions in which Amazon Connect instances can be created (AWS "Amazon Connect endpoints and quotas"). */
export const CONNECT_REGIONS: readonly string[] = [
  'us-east-1',
  'us-west-2',
  'af-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-2',
  'us-gov-west-1',
];

export type RegionCheck = { ok: true; partition: Partition } | { ok: false; message: string };

/** Which partition a region belongs to, or why it cannot be used. */
export function checkRegion(region: string): RegionCheck {
  if (typeof region !== 'string' || region.length === 0)
    return { ok: false, message: 'a region is required' };
  if (/^cn-/.test(region)) {
    return {
      ok: false,
      message: `'${region}' is in the aws-cn partition, where Amazon Connect is not offered`,
    };
  }
  if ((GOVCLOUD_REGIONS as readonly string[]).includes(region)) return { ok: true, partition: 'aws-us-gov' };
  if ((COMMERCIAL_REGIONS as readonly string[]).includes(region)) return { ok: true, partition: 'aws' };
  return { ok: false, message: `'${region}' is not an AWS region (expected e.g. 'us-east-1')` };
}
