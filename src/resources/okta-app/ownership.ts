/** How an Okta app is marked as this stack's: a marker in its admin notes (Okta apps have no tags). */
import type { SsoContext } from '../../core/context.js';
import type { OktaAppJson } from './read.js';

export const MARKER_PREFIX = 'managed-by connect-okta-sso stack ';

/** The line this library writes into `settings.notes.admin` of the apps it manages. */
export function ownershipMarker(stack: string): string {
  return `${MARKER_PREFIX}${stack}`;
}

/** The stacks named by markers in an app's admin notes. */
export function markedStacks(notes: unknown): string[] {
  if (typeof notes !== 'string') return [];
  const stacks: string[] = [];
  for (const m of notes.matchAll(/(?:^|\s)managed-by connect-okta-sso stack (\S+)/g)) {
    if (m[1]) stacks.push(m[1]);
  }
  return stacks;
}

/** Whose an app is: ours, another stack's (named), or nobody's we know. */
export function appOwnership(
  ctx: Pick<SsoContext, 'stack'>,
  app: OktaAppJson,
): { owner: 'ours' } | { owner: 'other-stack'; stacks: string[] } | { owner: 'foreign' } {
  const stacks = markedStacks(app.settings?.notes?.admin);
  if (stacks.includes(ctx.stack)) return { owner: 'ours' };
  return stacks.length > 0 ? { owner: 'other-stack', stacks } : { owner: 'foreign' };
}
