/** Types of scripts/ensure-built.mjs, for test/global-setup.ts. */
export declare const OUTPUTS: readonly string[];
export declare const INPUTS: readonly string[];
export declare function staleReason(root?: string): string | undefined;
export declare function ensureBuilt(options?: {
  root?: string;
  quiet?: boolean;
  log?: (line: string) => void;
}): { built: boolean; reason?: string; ms: number };
