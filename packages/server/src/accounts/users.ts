import type { Executor } from '../db/database.js';
import type { User } from '../db/schema.js';
import { ConflictError } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { hashPassword } from '../lib/passwords.js';
import { nowIso } from '../lib/time.js';
import * as repo from './repo.js';

export type PublicUser = Pick<User, 'id' | 'email' | 'name' | 'created_at'>;

const TAKEN = 'A user with this email already exists.';

/** A new user's row: the password hashed (scrypt), verified now or not yet. */
export async function newUserRow(
  data: { email: string; password: string; name?: string | undefined },
  verified: boolean,
): Promise<User> {
  const now = nowIso();
  return {
    id: newId('usr'),
    email: data.email,
    email_normalized: data.email.toLowerCase(),
    name: data.name ?? data.email.split('@')[0] ?? data.email,
    password_hash: await hashPassword(data.password),
    created_at: now,
    email_verified_at: verified ? now : null,
    platform_admin: 0,
  };
}

/**
 * Inserts a user; ConflictError (on `email`) when the address is taken, in any letter case. The
 * unique index decides, in the insert itself: no failed statement aborts the caller's
 * transaction on PostgreSQL when two creations race.
 */
export async function insertUniqueUser(db: Executor, user: User): Promise<PublicUser> {
  if (!(await repo.insertUserIfAbsent(db, user))) throw new ConflictError(TAKEN, 'email');
  return { id: user.id, email: user.email, name: user.name, created_at: user.created_at };
}
