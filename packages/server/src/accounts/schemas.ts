import { z } from 'zod';
import { NO_CONTROLS, plainText } from '../lib/validation.js';

// Input rules for accounts, shared by every edge (pages, JSON API, CLI) so they cannot drift.

export const email = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const newPassword = z
  .string({ error: 'is required' })
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

export const region = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2,6}$/, 'must be 2 to 6 letters, such as US or EU');

export const role = z.enum(['owner', 'admin', 'member'], { error: 'must be owner, admin or member' });

export const personName = plainText(z, 100);

export const newUser = z.object({
  email,
  password: newPassword,
  name: personName.optional(),
});

export const newMember = z.object({ email, role });

export const newCompany = z.object({
  name: plainText(z, 100),
  region: region.default('US'),
  isTest: z.boolean().default(false),
});

export const signIn = z.object({
  email: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(254, 'is too long')
    .regex(NO_CONTROLS, 'must not contain control characters'),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1024, 'is too long'),
});

export type NewUserInput = z.input<typeof newUser>;
export type NewCompanyInput = z.input<typeof newCompany>;

export const signUp = z.object({ name: personName, email, password: newPassword });
export const rename = z.object({ name: personName });

export const changePassword = z.object({
  current_password: z.string({ error: 'is required' }).min(1, 'is required').max(1024, 'is too long'),
  password: newPassword,
});

export const invitation = z.object({ email, role });

export type SignUpInput = z.input<typeof signUp>;

export const roleChange = z.object({ role });
