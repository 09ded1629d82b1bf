/** The SAML role's trust policy and the audiences AWS sign-in posts to. */
import { checkRegion, type Partition } from '../../core/regions.js';

/** The SAML sign-in endpoint(s) a role accepts as `SAML:aud`. */
export function samlAudiences(region: string, regionalSignIn: boolean): string[] {
  const check = checkRegion(region);
  const partition: Partition = check.ok ? check.partition : 'aws';
  const domain = partition === 'aws-us-gov' ? 'signin.amazonaws-us-gov.com' : 'signin.aws.amazon.com';
  const global = `https://${domain}/saml`;
  return regionalSignIn ? [global, `https://${region}.${domain}/saml`] : [global];
}

/** The role's trust policy: the provider may federate users through `sts:AssumeRoleWithSAML`. */
export function samlTrustPolicy(providerArn: string, audiences: readonly string[]): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': audiences.length === 1 ? audiences[0] : [...audiences] } },
      },
    ],
  };
}
