import { z } from 'zod';
import { NO_CONTROLS } from '../lib/validation.js';

// The protected API's wire shapes: inputs validated once at the edge, outputs documented for
// /openapi.json. Wire names are snake_case.

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const phone = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number such as +14155550100');
export const email = z
  .email('must be an email address')
  .max(254, 'must be at most 254 characters')
  .transform((e) => e.toLowerCase());
const externalId = z
  .string()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters')
  .regex(NO_CONTROLS, 'must not contain control characters');

/** Who an event, subscription or attribute is about: at least one of phone, email, external id. */
export const userRef = z
  .strictObject({ phone: phone.optional(), email: email.optional(), external_id: externalId.optional() })
  .refine((u) => u.phone !== undefined || u.email !== undefined || u.external_id !== undefined, {
    message: 'needs a phone, an email or an external_id',
  });
export type UserRef = z.output<typeof userRef>;

const MAX_PROPERTIES_BYTES = 8 * 1024;
const propertyName = z
  .string()
  .min(1)
  .max(64, 'names must be at most 64 characters')
  .regex(NO_CONTROLS, 'names must not contain control characters');

/** A flat-or-nested JSON object of at most 100 names and 8 KiB. */
export const properties = z
  .record(propertyName, z.unknown())
  .refine((p) => Object.keys(p).length <= 100, 'must have at most 100 properties')
  .refine((p) => JSON.stringify(p).length <= MAX_PROPERTIES_BYTES, 'must be at most 8 KiB as JSON');

const occurredAt = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
  .transform((t) => new Date(t).toISOString());

export const customEventInput = z.strictObject({
  type: z
    .string()
    .min(1, 'is required')
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:-]*$/, 'must be letters, digits, spaces and _ . : -'),
  user: userRef,
  properties: properties.default({}),
  occurred_at: occurredAt.optional(),
});

const money = z.strictObject({
  value: z.number().nonnegative().max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
});
const item = z.strictObject({
  product_id: externalId,
  product_variant_id: externalId.optional(),
  name: z.string().max(256).regex(NO_CONTROLS).optional(),
  price: money,
  quantity: z.number().int().min(1).max(10_000).default(1),
});

export const ecommerceInput = z.strictObject({
  user: userRef,
  items: z.array(item).min(1, 'needs at least one item').max(50, 'must have at most 50 items'),
  order_id: externalId.optional(),
  occurred_at: occurredAt.optional(),
});

const channel = z.enum(['sms', 'email']);
const subscriptionType = z.enum(['marketing', 'transactional']);

export const subscribeInput = z
  .strictObject({ user: userRef, channel, type: subscriptionType.default('marketing') })
  .refine((s) => (s.channel === 'sms' ? s.user.phone : s.user.email) !== undefined, {
    message: 'an sms subscription needs user.phone, an email one user.email',
    path: ['user'],
  });

export const unsubscribeInput = z.strictObject({
  user: userRef,
  channel: channel.optional(),
  type: subscriptionType.optional(),
});

const attributeValue = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]);
export const attributesInput = z.strictObject({
  user: userRef,
  properties: z
    .record(propertyName, attributeValue)
    .refine(
      (p) => Object.keys(p).length >= 1 && Object.keys(p).length <= 100,
      'must have 1 to 100 attributes',
    ),
});

export const privacyRequestInput = z.strictObject({
  user: userRef,
  type: z.literal('delete').default('delete'),
});

/** `limit` and the opaque `cursor` of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
};
export const customEventsQuery = z.strictObject({ ...pageQuery, type: z.string().max(64).optional() });
export const subscriptionsQuery = z.strictObject({
  ...pageQuery,
  phone: phone.optional(),
  email: email.optional(),
});

// Answers.

export const subscriberView = z.object({
  id: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  external_id: z.string().nullable(),
});
export const eventView = z.object({
  id: z.string(),
  kind: z.enum(['custom', 'product_view', 'add_to_cart', 'purchase']),
  type: z.string(),
  subscriber: subscriberView,
  properties: z.record(z.string(), z.unknown()),
  occurred_at: z.string(),
  created_at: z.string(),
});
export const subscriptionView = z.object({
  id: z.string(),
  channel,
  type: subscriptionType,
  status: z.enum(['subscribed', 'unsubscribed']),
  subscriber: subscriberView,
  created_at: z.string(),
  updated_at: z.string(),
});
export const attributesView = z.object({
  subscriber: subscriberView,
  attributes: z.record(z.string(), z.unknown()),
});
export const privacyRequestView = z.object({
  id: z.string(),
  type: z.literal('delete'),
  status: z.literal('completed'),
  deleted: z.object({
    subscribers: z.number(),
    events: z.number(),
    subscriptions: z.number(),
    attributes: z.number(),
  }),
  created_at: z.string(),
  completed_at: z.string().nullable(),
});

export type SubscriberView = z.infer<typeof subscriberView>;
export type EventView = z.infer<typeof eventView>;
export type SubscriptionView = z.infer<typeof subscriptionView>;
export type PrivacyRequestView = z.infer<typeof privacyRequestView>;
/** One page of a list: its items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
