import type { Generated, Insertable, Selectable } from 'kysely';
import type { AppListingsTable, AppReviewsTable, ListingImagesTable } from './marketplace-schema.js';
import type {
  EventsTable,
  IdempotencyKeysTable,
  PrivacyRequestsTable,
  SubscriberAttributesTable,
  SubscribersTable,
  SubscriptionsTable,
} from './resources-schema.js';
import type {
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookSecretsTable,
  WebhookSequencesTable,
} from './webhooks-schema.js';

// The tables of the accounts, apps, OAuth and audit; the resources', the webhooks' and the
// marketplace's are in their own files, re-exported here: import every table type from here.
export type * from './marketplace-schema.js';
export type * from './resources-schema.js';
export type * from './webhooks-schema.js';

// Timestamps are ISO-8601 UTC strings (`2026-01-02T03:04:05.678Z`) in both dialects: they sort
// and compare as text, so one query works unchanged on SQLite and PostgreSQL.
// Booleans are 0/1 integers for the same reason.

export interface UsersTable {
  id: string;
  email: string;
  /** Lower-cased email: the unique key, so sign-in is case-insensitive. */
  email_normalized: string;
  name: string;
  password_hash: string;
  created_at: string;
  /** When the person proved the address is theirs (a mail link, an invitation); null until then. */
  email_verified_at: string | null;
  /** 1 for a platform admin (`porter admin grant`): reviews apps, suspends them, reads every audit event. */
  platform_admin: Generated<number>;
}

export interface CompaniesTable {
  id: string;
  name: string;
  region: string;
  is_test: number;
  created_at: string;
}

export type Role = 'owner' | 'admin' | 'member';

export interface MembershipsTable {
  company_id: string;
  user_id: string;
  role: Role;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id_hash: string;
  user_id: string;
  active_company_id: string | null;
  created_at: string;
  expires_at: string;
  /** The browser's User-Agent at sign-in, shortened: so a person can tell their sessions apart. */
  user_agent: string | null;
}

export interface FlashesTable {
  /** SHA-256 of the flash cookie's value. */
  id_hash: string;
  /** The session it was made in (null before sign-in); only that session may read it. */
  session_hash: string | null;
  /** The page it is for: only a GET of this path shows (and deletes) it. */
  path: string;
  /** AES-256-GCM ciphertext, keyed by the cookie's value (accounts/flash.ts). */
  payload: string;
  expires_at: string;
}

export interface SignInFailuresTable {
  /** `account:<email>` or `ip:<address>`. */
  key: string;
  failures: Generated<number>;
  window_started_at: string;
}

export type AppStatus =
  | 'private'
  | 'unlisted'
  | 'in_review'
  | 'published'
  | 'rejected'
  | 'suspended'
  | 'deleted';

export interface AppsTable {
  id: string;
  company_id: string;
  name: string;
  description: string;
  logo_url: string | null;
  homepage_url: string | null;
  webhook_url: string | null;
  /** JSON array of scope names. */
  scopes: string;
  /** JSON array of redirect URLs, each kept exactly as registered. */
  redirect_urls: string;
  /** JSON array of bare origins. */
  allowed_origins: string;
  status: AppStatus;
  /** Public; set when distribution is enabled. */
  client_id: string | null;
  client_secret_hash: string | null;
  /** The secret before the last regeneration, valid until previous_secret_expires_at (overlap window). */
  previous_client_secret_hash: string | null;
  previous_secret_expires_at: string | null;
  /** When each secret last authenticated a client (to the minute; usage/last-used.ts). */
  client_secret_last_used_at: string | null;
  previous_secret_last_used_at: string | null;
  /** JSON ListingFields the developer is writing (db/marketplace-schema.ts); null until first saved. */
  listing_draft: string | null;
  /** What a suspended app was before (unsuspending restores it); null unless suspended. */
  status_before_suspension: AppStatus | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export type TokenKind = 'api_key' | 'access_token' | 'personal_token';

export interface TokensTable {
  id: string;
  kind: TokenKind;
  /** SHA-256 of the secret (lib/secrets.ts); the secret itself is never stored. */
  hash: string;
  /** The one company this credential acts on. */
  company_id: string;
  app_id: string | null;
  user_id: string | null;
  installation_id: string | null;
  /** A label the owner gave it (personal tokens). */
  name: string | null;
  /** JSON array of granted scopes (API keys follow their app's scopes instead). */
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  /** When it last authenticated a request (to the minute; usage/last-used.ts). */
  last_used_at: string | null;
}

export interface InstallationsTable {
  id: string;
  app_id: string;
  company_id: string;
  /** JSON array of the scopes the company granted. */
  scopes: string;
  /** The user who last authorized it (null once that user is deleted). */
  installed_by: string | null;
  installed_at: string;
  updated_at: string;
  /** Set on uninstall; a new authorization clears it (one record per app and company). */
  uninstalled_at: string | null;
}

export interface AuthorizationRequestsTable {
  /** Random; the consent form carries it. */
  id: string;
  /** The session that opened the consent page: only it may answer. */
  session_hash: string;
  app_id: string;
  redirect_uri: string;
  scopes: string;
  state: string | null;
  /** PKCE S256 challenge (RFC 7636), when the client sent one. */
  code_challenge: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuthorizationCodesTable {
  /** SHA-256 of the code. */
  hash: string;
  app_id: string;
  company_id: string;
  user_id: string;
  redirect_uri: string;
  scopes: string;
  code_challenge: string | null;
  created_at: string;
  expires_at: string;
  /** Set, once, by the exchange that redeems it (an atomic conditional update). */
  consumed_at: string | null;
  /** The access token it was exchanged for: revoked if the code is replayed. */
  token_id: string | null;
  /** Set when the code came back after it was consumed (RFC 6749 §4.1.2). */
  replayed_at: string | null;
}

export interface ResourceServersTable {
  id: string;
  name: string;
  /** SHA-256 of its secret (porter_rs_…). */
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  id: string;
  /** The company it concerns; null for an event about a person alone (a password reset). */
  company_id: string | null;
  /** Who did it, as shown: an email, or `cli` for the operator's command line. */
  actor: string;
  actor_user_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON object. */
  details: string;
  created_at: string;
}

export type AccountTokenKind = 'verify_email' | 'reset_password';

/** A one-time link sent by mail: `<selector>.<verifier>`; only the verifier's SHA-256 is stored. */
export interface AccountTokensTable {
  selector: string;
  kind: AccountTokenKind;
  user_id: string;
  verifier_hash: string;
  created_at: string;
  expires_at: string;
  /** Set, once, by the request that spends it (an atomic conditional update). */
  used_at: string | null;
}

/** An invitation to join a company; its link is `<id>.<verifier>`, only the verifier's SHA-256 stored. */
export interface InvitationsTable {
  id: string;
  company_id: string;
  email: string;
  email_normalized: string;
  role: Role;
  verifier_hash: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

/** API calls per app, per company, per UTC day (`YYYY-MM-DD`), added to in batches. */
export interface ApiUsageDailyTable {
  app_id: string;
  company_id: string;
  day: string;
  /** Every counted call; the two below are the part of it answered 4xx and 5xx. */
  calls: number;
  calls_4xx: Generated<number>;
  calls_5xx: Generated<number>;
}

/** A failed authorization request or token exchange of an app (the install debugger). */
export interface InstallFailuresTable {
  id: string;
  app_id: string;
  /** The route pattern that answered (`/oauth/token`, `/integrations/oauth-install`, …). */
  endpoint: string;
  /** The OAuth error code Porter answered with. */
  error_code: string;
  /** JSON of the FailureCause (debugger/causes.ts): a kind and safe facts, never a secret. */
  cause: string;
  created_at: string;
}

export interface DB {
  users: UsersTable;
  companies: CompaniesTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  flashes: FlashesTable;
  apps: AppsTable;
  tokens: TokensTable;
  audit_events: AuditEventsTable;
  installations: InstallationsTable;
  authorization_requests: AuthorizationRequestsTable;
  authorization_codes: AuthorizationCodesTable;
  resource_servers: ResourceServersTable;
  subscribers: SubscribersTable;
  subscriber_attributes: SubscriberAttributesTable;
  subscriptions: SubscriptionsTable;
  events: EventsTable;
  privacy_requests: PrivacyRequestsTable;
  idempotency_keys: IdempotencyKeysTable;
  account_tokens: AccountTokensTable;
  invitations: InvitationsTable;
  api_usage_daily: ApiUsageDailyTable;
  install_failures: InstallFailuresTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_sequences: WebhookSequencesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  app_listings: AppListingsTable;
  app_reviews: AppReviewsTable;
  listing_images: ListingImagesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Company = Selectable<CompaniesTable>;
export type Membership = Selectable<MembershipsTable>;
export type Session = Selectable<SessionsTable>;
export type FlashRow = Selectable<FlashesTable>;
export type AppRow = Selectable<AppsTable>;
export type TokenRow = Selectable<TokensTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type AccountTokenRow = Selectable<AccountTokensTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type InstallationRow = Selectable<InstallationsTable>;
export type AuthorizationRequestRow = Selectable<AuthorizationRequestsTable>;
export type AuthorizationCodeRow = Selectable<AuthorizationCodesTable>;
