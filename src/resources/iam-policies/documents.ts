/** One statement of an identity-based policy, as this library writes them. */
export interface PolicyStatement {
  /** Optional statement id, unique within the document. */
  Sid?: string;
  /** Whether the statement allows or denies the actions. */
  Effect: 'Allow' | 'Deny';
  /** The IAM action(s), `service:Operation`, e.g. `connect:GetFederationToken`. */
  Action: string | string[];
  /** The resource ARN(s) the actions apply to, or `*`. */
  Resource: string | string[];
}

/** An identity-based IAM policy document. */
export interface PolicyDocument {
  /** The IAM policy language version; always `2012-10-17`. */
  Version: '2012-10-17';
  /** The statements, in order. */
  Statement: PolicyStatement[];
}

/** The guide's federation policy document for a Connect instance ARN. */
export function federationPolicyDocument(instanceArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Statement1',
        Effect: 'Allow',
        Action: 'connect:GetFederationToken',
        Resource: [`${instanceArn}/user/\${aws:userid}`],
      },
    ],
  };
}

/** The guide's policy for Okta's API integration: list roles and account aliases. */
export function oktaAccessPolicyDocument(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['iam:ListRoles', 'iam:ListAccountAliases'],
        Resource: '*',
      },
    ],
  };
}
