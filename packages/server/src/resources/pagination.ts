import { ValidationError } from '../lib/errors.js';
import type { Page } from './schemas.js';

// Lists page newest first by a creation-sortable id. The cursor is opaque to clients: the
// base64url of the last id seen, versioned so its shape can change later.

const PREFIX = 'v1:';

export function encodeCursor(lastId: string): string {
  return Buffer.from(`${PREFIX}${lastId}`).toString('base64url');
}

/** The id a cursor continues after; a cursor Porter did not make is an invalid field. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith(PREFIX) || !/^[a-z]{3}_[0-9a-z]{10,30}$/.test(text.slice(PREFIX.length)))
    throw new ValidationError({ cursor: 'is not a cursor from a previous page' });
  return text.slice(PREFIX.length);
}

/** A page from `limit + 1` rows read: the extra row only says there is a next page. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, view: (r: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
