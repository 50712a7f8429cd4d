import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

// The partner app's own SQLite file: one access token per company (the seeds: "your application
// must correlate each access token to each company"), and browser sessions, each remembering the
// install it started (state, PKCE verifier) and the company it installed into.

/** A company the app is installed in; `accessToken` is null once Porter refused it. */
export interface CompanyInstall {
  companyId: string;
  companyName: string;
  accessToken: string | null;
  scopes: string[];
  /** Where this company's API lives (its region's), from the installation. */
  apiBaseUrl: string;
}

/** A browser session: the pending install and the company it installed into. */
export interface BrowserSession {
  state: string | null;
  verifier: string | null;
  pendingUntil: number;
  companyId: string | null;
  flash: string | null;
}

const SCHEMA = `
  create table if not exists companies (
    company_id text primary key, company_name text not null, access_token text, scopes text not null,
    api_base_url text not null, installed_at text not null);
  create table if not exists sessions (
    id_hash text primary key, state text, verifier text, pending_until integer not null default 0,
    company_id text, flash text, created_at integer not null);`;

const SESSION_DAYS = 30;
// The session cookie is a bearer secret for this browser: only its hash is stored.
const hashOf = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/** The app's storage, over one SQLite file. */
export class Store {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  close() {
    this.db.close();
  }

  /** Stores (or replaces, on a reinstall) the company's token. */
  saveInstall(i: CompanyInstall) {
    this.db
      .prepare(
        `insert into companies (company_id, company_name, access_token, scopes, api_base_url, installed_at)
         values (?, ?, ?, ?, ?, ?) on conflict (company_id) do update set company_name = excluded.company_name,
         access_token = excluded.access_token, scopes = excluded.scopes, api_base_url = excluded.api_base_url,
         installed_at = excluded.installed_at`,
      )
      .run(
        i.companyId,
        i.companyName,
        i.accessToken,
        JSON.stringify(i.scopes),
        i.apiBaseUrl,
        new Date().toISOString(),
      );
  }

  findInstall(companyId: string): CompanyInstall | undefined {
    const row = this.db.prepare('select * from companies where company_id = ?').get(companyId) as
      | {
          company_id: string;
          company_name: string;
          access_token: string | null;
          scopes: string;
          api_base_url: string;
        }
      | undefined;
    if (!row) return undefined;
    const scopes = JSON.parse(row.scopes) as string[];
    return {
      companyId: row.company_id,
      companyName: row.company_name,
      accessToken: row.access_token,
      scopes,
      apiBaseUrl: row.api_base_url,
    };
  }

  /** Forgets a token Porter refused (uninstalled or revoked): the company must reinstall. */
  dropToken(companyId: string) {
    this.db.prepare('update companies set access_token = null where company_id = ?').run(companyId);
  }

  session(sessionId: string): BrowserSession | undefined {
    const row = this.db
      .prepare('select * from sessions where id_hash = ? and created_at > ?')
      .get(hashOf(sessionId), Date.now() - SESSION_DAYS * 86_400_000) as
      | {
          state: string | null;
          verifier: string | null;
          pending_until: number;
          company_id: string | null;
          flash: string | null;
        }
      | undefined;
    if (!row) return undefined;
    return {
      state: row.state,
      verifier: row.verifier,
      pendingUntil: row.pending_until,
      companyId: row.company_id,
      flash: row.flash,
    };
  }

  /** Records the install this browser starts; it is good for `seconds`. */
  startInstall(sessionId: string, state: string, verifier: string, seconds: number) {
    this.db.prepare('delete from sessions where created_at <= ?').run(Date.now() - SESSION_DAYS * 86_400_000);
    this.db
      .prepare(
        `insert into sessions (id_hash, state, verifier, pending_until, created_at) values (?, ?, ?, ?, ?)
         on conflict (id_hash) do update set state = excluded.state, verifier = excluded.verifier,
         pending_until = excluded.pending_until`,
      )
      .run(hashOf(sessionId), state, verifier, Date.now() + seconds * 1000, Date.now());
  }

  /** Ends the pending install (used once, whatever its outcome). */
  endInstall(sessionId: string, companyId?: string) {
    const set = companyId === undefined ? '' : ', company_id = ?';
    const args = companyId === undefined ? [hashOf(sessionId)] : [companyId, hashOf(sessionId)];
    this.db
      .prepare(`update sessions set state = null, verifier = null, pending_until = 0${set} where id_hash = ?`)
      .run(...args);
  }

  /** A message for the next page of this session (Post/Redirect/Get). */
  setFlash(sessionId: string, flash: string | null) {
    this.db.prepare('update sessions set flash = ? where id_hash = ?').run(flash, hashOf(sessionId));
  }
}
