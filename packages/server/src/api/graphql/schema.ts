import { GraphQLScalarType } from 'graphql';
import type { Principal } from '../../credentials/service.js';
import type { InstallationsService } from '../../installations/service.js';
import { NotFoundError } from '../../lib/errors.js';
import { parseInput } from '../../lib/validation.js';
import * as s from '../../resources/schemas.js';
import type { ResourcesService } from '../../resources/service.js';
import { checkScope } from '../scopes.js';
import { callerOf } from '../v1/resources.js';

// The GraphQL API: the seeds' `viewer { installedApplication { installerCompany { id name } } }`,
// the installation record (the fields of /v1/me, camelCased) and the REST API's reads, under
// the same scopes. Field names are GraphQL's camelCase; user data (properties) is kept as sent.

export const typeDefs = /* GraphQL */ `
  schema {
    query: Query
  }

  "Any JSON value, as the app sent it."
  scalar JSON

  type Query {
    "Who the bearer credential speaks for."
    viewer: Viewer!
    "The company's custom events, newest first (events:write)."
    customEvents(first: Int = 25, after: String, type: String): CustomEventPage!
    "The company's subscriptions, newest first, of one phone or email when given (subscriptions:write)."
    subscriptions(first: Int = 25, after: String, phone: String, email: String): SubscriptionPage!
    "A privacy request of the company, or null (privacy_requests:write)."
    privacyRequest(id: ID!): PrivacyRequest
  }

  type Viewer {
    installedApplication: InstalledApplication!
    scopes: [String!]!
    "api_key or access_token"
    credential: String!
  }

  type InstalledApplication {
    id: ID
    name: String
    "The company the credential acts on: the installing company, or the app's own for an API key."
    installerCompany: Company!
    "The installation behind an access token; null for an API key."
    installation: Installation
  }

  type Company {
    id: ID!
    name: String!
  }

  type Application {
    id: ID!
    name: String!
  }

  type User {
    id: ID!
    name: String!
    email: String!
  }

  type Installation {
    id: ID!
    app: Application!
    company: Company!
    region: String!
    apiBaseUrl: String!
    scopes: [String!]!
    installedBy: User
    installedAt: String!
    updatedAt: String!
  }

  type Subscriber {
    id: ID!
    phone: String
    email: String
    externalId: String
  }

  type CustomEvent {
    id: ID!
    type: String!
    subscriber: Subscriber!
    properties: JSON!
    occurredAt: String!
    createdAt: String!
  }

  type CustomEventPage {
    nodes: [CustomEvent!]!
    "Pass as after for the next page; null on the last."
    nextCursor: String
  }

  type ChannelSubscription {
    id: ID!
    channel: String!
    type: String!
    status: String!
    subscriber: Subscriber!
    createdAt: String!
    updatedAt: String!
  }

  type SubscriptionPage {
    nodes: [ChannelSubscription!]!
    nextCursor: String
  }

  type DeletedCounts {
    subscribers: Int!
    events: Int!
    subscriptions: Int!
    attributes: Int!
  }

  type PrivacyRequest {
    id: ID!
    type: String!
    status: String!
    deleted: DeletedCounts!
    createdAt: String!
    completedAt: String
  }
`;

/** What every resolver is given: the principal the bearer check found. */
export interface GraphQLContext {
  principal: Principal;
}

interface Deps {
  installations: InstallationsService;
  resources: ResourcesService;
}

const KEEP_AS_SENT = new Set(['properties']);

/** A wire view with GraphQL's camelCase names; the app's own data keeps its names. */
export function camelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      KEEP_AS_SENT.has(k) ? v : camelCase(v),
    ]),
  );
}

function connection<T>(page: s.Page<T>) {
  return { nodes: camelCase(page.items), nextCursor: page.next_cursor };
}

const json = new GraphQLScalarType({ name: 'JSON', serialize: (v) => v });

type Args = Record<string, string | number | null | undefined>;
const given = (v: string | number | null | undefined) => v ?? undefined;

/** The resolvers, over the same services as the REST API. */
export function resolvers({ installations, resources }: Deps) {
  return {
    JSON: json,
    Query: {
      viewer: (_root: unknown, _args: Args, { principal: p }: GraphQLContext) => ({
        scopes: p.scopes,
        credential: p.kind,
        installedApplication: {
          id: p.appId,
          name: p.appName,
          installerCompany: { id: p.companyId, name: p.companyName },
        },
      }),
      customEvents: async (_root: unknown, args: Args, { principal }: GraphQLContext) => {
        checkScope(principal, 'events:write');
        const query = { limit: given(args.first), cursor: given(args.after), type: given(args.type) };
        return connection(
          await resources.listCustomEvents(callerOf(principal), parseInput(s.customEventsQuery, query)),
        );
      },
      subscriptions: async (_root: unknown, args: Args, { principal }: GraphQLContext) => {
        checkScope(principal, 'subscriptions:write');
        const query = {
          limit: given(args.first),
          cursor: given(args.after),
          phone: given(args.phone),
          email: given(args.email),
        };
        return connection(
          await resources.listSubscriptions(callerOf(principal), parseInput(s.subscriptionsQuery, query)),
        );
      },
      privacyRequest: async (_root: unknown, args: Args, { principal }: GraphQLContext) => {
        checkScope(principal, 'privacy_requests:write');
        const found = await resources.findPrivacyRequest(callerOf(principal), String(args.id)).catch((e) => {
          if (e instanceof NotFoundError) return null;
          throw e;
        });
        return camelCase(found);
      },
    },
    InstalledApplication: {
      installation: async (_app: unknown, _args: Args, { principal }: GraphQLContext) =>
        principal.installationId ? camelCase(await installations.find(principal.installationId)) : null,
    },
  };
}
