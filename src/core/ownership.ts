/**
 * The names of the ownership tags (design §2). Config validation reserves them and the AWS tag helpers
 * write them, so they live below both.
 */

/** Tag key that marks a resource as made by this library. */
export const MANAGED_BY_KEY = 'managed-by';
/** Value of {@link MANAGED_BY_KEY} on resources this library made. */
export const MANAGED_BY_VALUE = 'connect-okta-sso';
/** Tag key that names the stack (the config's `names.stack`) a resource belongs to. */
export const STACK_KEY = 'connect-okta-sso:stack';
