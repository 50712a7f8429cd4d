import { FlashService } from './accounts/flash.js';
import { AccountLinks } from './accounts/links.js';
import { InvitationsService } from './accounts/members/invitations.js';
import { MembersService } from './accounts/members/service.js';
import { PasswordService } from './accounts/password.js';
import { RegistrationService } from './accounts/registration.js';
import { AccountsService } from './accounts/service.js';
import { SessionsService } from './accounts/sessions.js';
import { ClientAuthThrottle, MailThrottle } from './accounts/throttle.js';
import { AdminService } from './admin/service.js';
import { AppActivity } from './apps/activity.js';
import { ListingService } from './apps/listing/service.js';
import { OAuthClients } from './apps/oauth-client.js';
import { ReviewService } from './apps/review/service.js';
import { AppsService } from './apps/service.js';
import type { Config } from './config.js';
import { CredentialsService, type Principal } from './credentials/service.js';
import type { Database } from './db/database.js';
import { InstallDebugger } from './debugger/service.js';
import { InstallationsService } from './installations/service.js';
import { TtlCache } from './lib/ttl-cache.js';
import { type MailLog, MailService } from './mail/mailer.js';
import { MarketplaceService } from './marketplace/service.js';
import { AuthorizationService } from './oauth/authorization-service.js';
import { IntrospectionService } from './oauth/introspection-service.js';
import { TokenService } from './oauth/token-service.js';
import { Signals } from './ops/signals.js';
import { Policy } from './policy.js';
import { ResourcesService } from './resources/service.js';
import { LastUsed } from './usage/last-used.js';
import { ApiUsage } from './usage/recorder.js';
import { WebhooksService } from './webhooks/service.js';

/** Every service of one Porter process, built once: pages, the JSON APIs and the CLI share them. */
export interface Services {
  policy: Policy;
  accounts: AccountsService;
  sessions: SessionsService;
  flash: FlashService;
  credentials: CredentialsService;
  apps: AppsService;
  installations: InstallationsService;
  authorization: AuthorizationService;
  tokens: TokenService;
  introspection: IntrospectionService;
  resources: ResourcesService;
  mail: MailService;
  registration: RegistrationService;
  passwords: PasswordService;
  members: MembersService;
  invitations: InvitationsService;
  links: AccountLinks;
  /** An app's installs, uninstalls and API calls per day, for the portal's charts. */
  activity: AppActivity;
  /** An app's recent failed authorization requests and token exchanges, for its developers. */
  installDebugger: InstallDebugger;
  /** This process's counters, read by /metrics. */
  signals: Signals;
  /** The protected API's calls per app, company and day, counted in memory and flushed in batches. */
  usage: ApiUsage;
  /** Signed webhooks: the outbox, signing secrets, and this process's sender. */
  webhooks: WebhooksService;
  /** The platform admins' area: every app and company, suspensions, the whole audit log. */
  admin: AdminService;
  /** The public marketplace: published apps, their live listings and install counts. */
  marketplace: MarketplaceService;
  /** An app's listing draft and its images. */
  listings: ListingService;
  /** Submission, review and publication of apps. */
  reviews: ReviewService;
}

/** The services of people arriving from outside: sign-up, passwords, members and invitations. */
function accountServices(
  config: Config,
  db: Database,
  log: MailLog,
  core: { accounts: AccountsService; policy: Policy; credentials: CredentialsService },
) {
  const mail = new MailService(config, log);
  const links = new AccountLinks(db, config.publicUrl);
  const throttle = new MailThrottle(db, config.signIn);
  const { accounts, policy, credentials } = core;
  return {
    mail,
    links,
    registration: new RegistrationService(db, config, { accounts, links, mail, throttle }),
    passwords: new PasswordService(db, config, { links, mail, throttle }),
    members: new MembersService(db, policy, credentials),
    invitations: new InvitationsService(db, config, { policy, mail, throttle }),
  };
}

/**
 * Builds the services over one database, with the process's one bearer-check cache; `log` is
 * where mail goes when there is no SMTP server (the process's logger).
 */
export function buildServices(config: Config, db: Database, log: MailLog): Services {
  const accounts = new AccountsService(db);
  const policy = new Policy(accounts);
  const signals = new Signals();
  const credentials = new CredentialsService(db, new TtlCache<Principal>(), policy, signals);
  const lastUsed = new LastUsed(db);
  const clients = new OAuthClients(db, lastUsed);
  const apps = new AppsService(db, config, policy, credentials, clients);
  const webhooks = new WebhooksService(db, config.webhooks, apps);
  const installations = new InstallationsService(db, config, policy, credentials, signals, webhooks);
  const throttle = new ClientAuthThrottle(db, config.signIn);
  const usage = new ApiUsage(db, config.usageFlushMs, lastUsed);
  return {
    ...accountServices(config, db, log, { accounts, policy, credentials }),
    policy,
    accounts,
    sessions: new SessionsService(db, config),
    flash: new FlashService(db),
    credentials,
    apps,
    installations,
    authorization: new AuthorizationService(db, config, clients, accounts),
    tokens: new TokenService(db, clients, credentials, installations, throttle, signals),
    installDebugger: new InstallDebugger(db, apps),
    introspection: new IntrospectionService(db, config.publicUrl, credentials, installations),
    resources: new ResourcesService(db),
    signals,
    usage,
    activity: new AppActivity(apps, installations, usage),
    webhooks,
    admin: new AdminService(db, policy, { accounts, clients, credentials, installations }),
    marketplace: new MarketplaceService(db, config),
    listings: new ListingService(db, config.scopes, policy),
    reviews: new ReviewService(db, policy, clients, credentials),
  };
}

/** Drops what has expired: sessions, sign-in counters, unread flashes, mailed links, kept idempotent answers, install failures past seven days and old webhook deliveries. Run hourly by main.ts. */
export async function purgeExpired(services: Services): Promise<void> {
  await services.sessions.purgeExpired();
  await services.flash.purgeExpired();
  await services.authorization.purgeExpired();
  await services.resources.purgeExpired();
  await services.links.purgeExpired();
  await services.installDebugger.purgeExpired();
  await services.webhooks.purgeOld();
}
