/**
 * Results as JSON documents: every error as its summary (name, code, message, provider fields) and how
 * the CLI explains it (code, field or resource, fix), never an object graph.
 */
import type { Explained } from './errors.js';
import { errorSummary } from './output.js';

/** An error as a JSON entry: its summary, then its explanation without the exit code. */
export function errorEntry(error: Error, explained: Explained): Record<string, unknown> {
  const { exitCode: _, ...x } = explained;
  return { ...errorSummary(error), ...x };
}

/** A run's result (provisioning, teardown) with the error of each step and of each failure as an entry. */
export function resultDocument(
  result: {
    readonly steps: readonly { readonly error?: Error | undefined }[];
    readonly errors: readonly { readonly id: string; readonly resource: string; readonly error: Error }[];
  },
  explainError: (error: Error) => Explained,
): Record<string, unknown> {
  const entry = (error: Error) => errorEntry(error, explainError(error));
  return {
    ...result,
    steps: result.steps.map((s) => ({ ...s, ...(s.error ? { error: entry(s.error) } : {}) })),
    errors: result.errors.map((e) => ({ id: e.id, resource: e.resource, error: entry(e.error) })),
  };
}
