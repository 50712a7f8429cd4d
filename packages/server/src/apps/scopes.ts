/** The scopes a fresh Porter offers (the seeds' five), each with the words a customer reads. */
export const DEFAULT_SCOPES: Readonly<Record<string, string>> = {
  'events:write': 'Send custom events about your customers (Custom Events API)',
  'ecommerce:write': 'Send ecommerce events such as product views, carts and purchases (Ecommerce API)',
  'subscriptions:write': 'Add, update and unsubscribe your subscribers (Subscribers API)',
  'attributes:write': 'Set custom attributes on your subscribers (Custom Attributes API)',
  'privacy_requests:write': 'Create and read privacy requests, such as data deletion (Privacy API)',
};

/** What a scope name may look like: `resource:action`, lower case. */
export const SCOPE_NAME = /^[a-z][a-z0-9_]{0,40}(:[a-z][a-z0-9_]{0,20})?$/;
