/**
 * State of the emulated AWS Secrets Manager (plain JSON: see ../state.ts). Times are epoch milliseconds.
 */

/** One stored secret (plain JSON; times epoch ms). */
export interface StoredSecret {
  /** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random letters>` */
  arn: string;
  /** The secret's name. */
  name: string;
  /** The `Description` given at creation; undefined when none. */
  description: string | undefined;
  /** The `KmsKeyId` given at creation; undefined for the default `aws/secretsmanager` key. */
  kmsKeyId: string | undefined;
  /** The secret's tags. */
  tags: {
    /** Tag key. */
    Key: string;
    /** Tag value. */
    Value: string;
  }[];
  /** When the secret was created (epoch ms). */
  createdAt: number;
  /** When a value was last stored (epoch ms). */
  lastChangedAt: number;
  /** Deletion scheduled (or done, when forced: then the secret is gone from the map). */
  deletedAt: number | undefined;
  /** The versions that still carry a staging label, oldest first. */
  versions: {
    /** The version id (a UUID). */
    versionId: string;
    /** The secret value (redacted in `sb.state()`). */
    secretString: string;
    /** When the version was stored (epoch ms). */
    createdAt: number;
    /** Its staging labels: `AWSCURRENT` for the newest, `AWSPREVIOUS` for the one before. */
    stages: string[];
  }[];
}

/** The emulated AWS Secrets Manager's part of the sandbox state. */
export interface SecretsManagerState {
  /** By name. */
  secrets: Record<string, StoredSecret>;
}

export function createSecretsManagerState(): SecretsManagerState {
  return { secrets: {} };
}
