import { type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { Database } from './database.js';
import { accounts } from './migrations/0001_accounts.js';
import { apps } from './migrations/0002_apps.js';
import { oneLiveApiKey } from './migrations/0003_one_live_api_key.js';
import { flashes } from './migrations/0004_flashes.js';
import { oauth } from './migrations/0005_oauth.js';
import { accountsForRealUse } from './migrations/0006_accounts.js';
import { resources } from './migrations/0007_resources.js';
import { liveTokenIndex } from './migrations/0008_live_token_index.js';
import { apiUsage } from './migrations/0009_api_usage.js';
import { installDebugger } from './migrations/0010_install_debugger.js';
import { webhooks } from './migrations/0011_webhooks.js';
import { credentialHygiene } from './migrations/0012_credential_hygiene.js';
import { marketplace } from './migrations/0013_marketplace.js';

// Listed here, not read from a folder, so the compiled build and the tests run the same set.
const migrations: Record<string, Migration> = {
  '0001_accounts': accounts,
  '0002_apps': apps,
  '0003_one_live_api_key': oneLiveApiKey,
  '0004_flashes': flashes,
  '0005_oauth': oauth,
  '0006_accounts': accountsForRealUse,
  '0007_resources': resources,
  '0008_live_token_index': liveTokenIndex,
  '0009_api_usage': apiUsage,
  '0010_install_debugger': installDebugger,
  '0011_webhooks': webhooks,
  '0012_credential_hygiene': credentialHygiene,
  '0013_marketplace': marketplace,
};

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
