// @porter/sdk: what an app developer needs to talk to a Porter server. Shaped like
// oauth4webapi: one function per protocol operation, typed errors with a `code`.

export { handleCallback } from './callback.js';
export { type ClientOptions, PorterClient, type WriteOptions } from './client.js';
export {
  IssuerMismatchError,
  isOAuthErrorCode,
  OAuthError,
  type OAuthErrorCode,
  PorterApiError,
  StateMismatchError,
  type WebhookErrorCode,
  WebhookVerificationError,
} from './errors.js';
export type { Fetch } from './http.js';
export {
  buildInstallUrl,
  createPkce,
  createState,
  type InstallUrlOptions,
  installUrl,
  type StartedInstall,
} from './install.js';
export { type Introspection, Introspector, type IntrospectorOptions } from './introspection.js';
export { type PorterAuth, type PorterAuthOptions, porterAuth } from './middleware.js';
export type { RetryOptions } from './retry.js';
export {
  discover,
  type ExchangeCodeOptions,
  exchangeCode,
  type PorterMetadata,
  type TokenSet,
} from './token.js';
export type * from './types.js';
export { type HeadersLike, type VerifyWebhookOptions, verifyWebhook } from './webhooks.js';
