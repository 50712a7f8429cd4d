import type { Generated, Insertable, Selectable } from 'kysely';

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
}

export interface SignInFailuresTable {
  /** `account:<email>` or `ip:<address>`. */
  key: string;
  failures: Generated<number>;
  window_started_at: string;
}

export interface DB {
  users: UsersTable;
  companies: CompaniesTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Company = Selectable<CompaniesTable>;
export type Membership = Selectable<MembershipsTable>;
export type Session = Selectable<SessionsTable>;
