import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { forEachDialect } from './helpers/dialects.js';

// The columns each table must have after all migrations; kept beside db/schema.ts's types.
const EXPECTED: Record<string, string[]> = {
  users: ['created_at', 'email', 'email_normalized', 'email_verified_at', 'id', 'name', 'password_hash'],
  companies: ['created_at', 'id', 'is_test', 'name', 'region'],
  memberships: ['company_id', 'created_at', 'role', 'user_id'],
  sessions: ['active_company_id', 'created_at', 'expires_at', 'id_hash', 'user_agent', 'user_id'],
  sign_in_failures: ['failures', 'key', 'window_started_at'],
  flashes: ['expires_at', 'id_hash', 'path', 'payload', 'session_hash'],
  apps: [
    'allowed_origins',
    'client_id',
    'client_secret_hash',
    'client_secret_last_used_at',
    'company_id',
    'created_at',
    'deleted_at',
    'description',
    'homepage_url',
    'id',
    'logo_url',
    'name',
    'previous_client_secret_hash',
    'previous_secret_expires_at',
    'previous_secret_last_used_at',
    'redirect_urls',
    'scopes',
    'status',
    'updated_at',
    'webhook_url',
  ],
  tokens: [
    'app_id',
    'company_id',
    'created_at',
    'hash',
    'id',
    'installation_id',
    'kind',
    'last_used_at',
    'name',
    'revoked_at',
    'scopes',
    'user_id',
  ],
  installations: [
    'app_id',
    'company_id',
    'id',
    'installed_at',
    'installed_by',
    'scopes',
    'uninstalled_at',
    'updated_at',
  ],
  authorization_requests: [
    'app_id',
    'code_challenge',
    'created_at',
    'expires_at',
    'id',
    'redirect_uri',
    'scopes',
    'session_hash',
    'state',
    'used_at',
  ],
  authorization_codes: [
    'app_id',
    'code_challenge',
    'company_id',
    'consumed_at',
    'created_at',
    'expires_at',
    'hash',
    'redirect_uri',
    'replayed_at',
    'scopes',
    'token_id',
    'user_id',
  ],
  resource_servers: ['created_at', 'hash', 'id', 'name', 'revoked_at'],
  subscribers: ['company_id', 'created_at', 'email', 'external_id', 'id', 'phone'],
  subscriber_attributes: ['name', 'subscriber_id', 'updated_at', 'value'],
  subscriptions: [
    'channel',
    'company_id',
    'created_at',
    'id',
    'status',
    'subscriber_id',
    'type',
    'updated_at',
  ],
  events: [
    'app_id',
    'company_id',
    'created_at',
    'id',
    'kind',
    'occurred_at',
    'properties',
    'subscriber_id',
    'type',
  ],
  privacy_requests: ['app_id', 'company_id', 'completed_at', 'created_at', 'id', 'result', 'status', 'type'],
  api_usage_daily: ['app_id', 'calls', 'calls_4xx', 'calls_5xx', 'company_id', 'day'],
  install_failures: ['app_id', 'cause', 'created_at', 'endpoint', 'error_code', 'id'],
  webhook_secrets: ['app_id', 'created_at', 'previous_expires_at', 'previous_secret', 'secret'],
  webhook_sequences: ['installation_id', 'last_sequence'],
  webhook_deliveries: [
    'app_id',
    'attempts',
    'created_at',
    'delivered_at',
    'id',
    'installation_id',
    'last_attempt_at',
    'last_error',
    'last_status_code',
    'lease_owner',
    'lease_until',
    'next_attempt_at',
    'payload',
    'sequence',
    'status',
    'type',
  ],
  webhook_attempts: ['delivery_id', 'duration_ms', 'error', 'number', 'started_at', 'status_code', 'url'],
  idempotency_keys: [
    'app_id',
    'company_id',
    'created_at',
    'expires_at',
    'fingerprint',
    'key',
    'response',
    'status',
    'subscriber_id',
  ],
  account_tokens: ['created_at', 'expires_at', 'kind', 'selector', 'used_at', 'user_id', 'verifier_hash'],
  invitations: [
    'accepted_at',
    'company_id',
    'created_at',
    'email',
    'email_normalized',
    'expires_at',
    'id',
    'invited_by',
    'revoked_at',
    'role',
    'verifier_hash',
  ],
  audit_events: [
    'action',
    'actor',
    'actor_user_id',
    'company_id',
    'created_at',
    'details',
    'id',
    'target_id',
    'target_type',
  ],
};

forEachDialect('migrations', (dialect) => {
  it('migrate an empty database to the schema the table types describe, and are idempotent', async () => {
    const database = await dialect.create();
    const db = openDatabase(database.target);
    try {
      const applied = await migrateToLatest(db);
      assert.ok(applied.length > 0);
      assert.deepEqual(await migrateToLatest(db), [], 'a second run applies nothing');
      const tables = (await db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_'));
      const actual = Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
      assert.deepEqual(actual, EXPECTED);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
