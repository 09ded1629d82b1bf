/**
 * Readable renderings of teardown plans and results, for terminals and logs (both are plain JSON too).
 */
import type { DestroyAction } from '../../core/destroy-step.js';
import type { DestroyPlan, DestroyResult } from './types.js';

const MARK: Record<DestroyAction, string> = {
  delete: '-',
  keep: '=',
  foreign: '!',
  absent: '.',
  blocked: 'x',
};

const WORD: Record<DestroyAction, string> = {
  delete: 'delete',
  keep: 'keep',
  foreign: 'foreign',
  absent: 'absent',
  blocked: 'blocked',
};

/**
 * A teardown plan as lines: one per resource with its action and reason, then the counts.
 *
 * ```
 * - okta app "Amazon Connect CCP"  delete: deactivate, then delete; its 2 user assignment(s) go with it
 * ! iam role Okta_Role             foreign: it was not created by connect-okta-sso (…)
 * = connect instance acme-cc       keep: it holds contact data, …
 * 9 to delete, 1 kept, 1 foreign, 2 absent, 0 blocked
 * ```
 */
export function renderDestroyPlan(plan: DestroyPlan): string {
  const width = Math.min(60, Math.max(0, ...plan.items.map((i) => i.resource.length)));
  const lines = plan.items.map((i) => {
    const why = i.reason && i.action !== 'absent' ? `: ${i.reason}` : '';
    return `${MARK[i.action]} ${i.resource.padEnd(width)}  ${WORD[i.action]}${why}`;
  });
  const s = plan.summary;
  lines.push(
    `${s.delete} to delete, ${s.keep} kept, ${s.foreign} foreign, ${s.absent} absent, ${s.blocked} blocked`,
  );
  return lines.join('\n');
}

/**
 * A teardown result as lines: what was deleted, kept and left alone, the failures, and the counts.
 */
export function renderDestroyResult(result: DestroyResult): string {
  const lines: string[] = [];
  const verb = result.dryRun ? 'would delete' : 'deleted';
  for (const r of result.deleted) lines.push(`- ${verb} ${r.resource}`);
  for (const r of result.kept) lines.push(`= kept ${r.resource}: ${r.reason}`);
  for (const r of result.foreign) lines.push(`! left alone ${r.resource}: ${r.reason}`);
  for (const r of result.blocked) lines.push(`x blocked ${r.resource}: ${r.reason}`);
  for (const e of result.errors) lines.push(`x failed ${e.resource}: ${e.error.message}`);
  for (const s of result.skipped) lines.push(`x skipped ${s.resource}: ${s.reason}`);
  lines.push(
    `${result.deleted.length} ${verb}, ${result.kept.length} kept, ${result.foreign.length} foreign, ` +
      `${result.absent.length} absent, ${result.errors.length} failed, ${result.skipped.length} skipped ` +
      `(${result.requests.reads} reads, ${result.requests.writes} writes)`,
  );
  return lines.join('\n');
}
