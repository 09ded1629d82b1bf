/**
 * Readable renderings of plans and results, for terminals and logs. (Both are plain JSON too:
 * `JSON.stringify(plan)` is the machine form.)
 */
import type { ConnectSsoPlan, PlanAction } from './types.js';

const MARK: Record<PlanAction, string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  manual: '!',
  blocked: 'x',
};

/**
 * The plan as lines: one per resource with its action and reason, then the counts.
 *
 * ```
 * + connect instance acme-cc                      create
 * ! okta api integration of "Amazon Connect CCP"  manual: the Okta admin console has no API for this step
 * 7 to create, 0 to update, 3 unchanged, 2 manual, 0 blocked
 * ```
 */
export function renderPlan(plan: ConnectSsoPlan): string {
  // One pass, no spread of the items into arguments: the rendering is linear in the number of items.
  let width = 0;
  for (const i of plan.items) width = Math.max(width, Math.min(60, i.resource.length));
  const lines = plan.items.map((i) => {
    const why = i.reason && i.reason !== i.action && i.action !== 'unchanged' ? `: ${i.reason}` : '';
    return `${MARK[i.action]} ${i.resource.padEnd(width)}  ${i.action}${why}`;
  });
  const s = plan.summary;
  lines.push(
    `${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s.manual} manual, ${s.blocked} blocked`,
  );
  return lines.join('\n');
}
