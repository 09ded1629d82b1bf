import { GetUserCommand } from '@aws-sdk/client-iam';
import { awsCall, isAwsError } from '../../providers/aws/call.js';
import { guard, learnAccount, ownershipFinding, type Run } from '../check-run.js';

/** api-integration mode: the IAM user whose access key Okta uses is ours. */
export async function checkOktaApiUser(run: Run): Promise<void> {
  const { ctx, config } = run;
  const userName = config.names.oktaApiUser;
  await guard(run, 'okta-api-user.ownership', `iam user ${userName}`, async () => {
    try {
      const { User } = await awsCall(ctx, 'iam', 'GetUser', (o) =>
        ctx.iam.send(new GetUserCommand({ UserName: userName }), o),
      );
      learnAccount(run, User?.Arn);
      ownershipFinding(
        run,
        'okta-api-user.ownership',
        `iam user ${userName}`,
        User?.Tags ?? [],
        'The user',
        'names.oktaApiUser',
      );
    } catch (error) {
      if (!isAwsError(error, 'NoSuchEntity')) throw error;
    }
  });
}
