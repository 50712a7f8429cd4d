import { randomBytes } from 'node:crypto';
import { drawIcon, drawScreenshot } from '../lib/png.js';
import type { Services } from '../services.js';

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
  companies: string[];
}

export interface DemoApp {
  name: string;
  id: string;
  apiKey: string;
  clientId: string;
  clientSecret: string;
  distributionUrl: string;
}

const DEVELOPER = 'dev@porter.example';
const CUSTOMER = 'admin@globex.example';
/** A platform admin (the admin area: reviews, suspensions, every audit event), in no company. */
const OPERATOR = 'ops@porter.example';

function demoPassword(): string {
  return `demo-${randomBytes(9).toString('base64url')}`;
}

/**
 * Publishes the demo app the way any app is published — its listing drafted with images,
 * submitted, approved — by the operator, so a fresh Porter shows a marketplace with an app in it.
 */
async function publishDemoApp({ listings, reviews }: Services, companyId: string, appId: string) {
  const operator = { kind: 'operator' as const, label: 'demo' };
  const blue = [41, 82, 204] as const;
  const asUpload = (bytes: Buffer) => ({ bytes, truncated: false });
  await listings.saveDraft(operator, companyId, appId, {
    fields: {
      tagline: 'Sync your storefront events and subscribers into Porter.',
      description:
        'Acme Sync sends your storefront activity to Porter as it happens.\n\n' +
        'Custom events: sign-ups, logins and anything your shop tracks.\n' +
        'Subscribers: new subscribers are added and unsubscribes are honoured at once.\n\n' +
        'Install it, and your data starts flowing within a minute.',
      category: 'ecommerce',
      support_email: 'support@acme.example',
      privacy_url: 'https://acme.example/privacy',
      // The partner app's own install start (examples/partner-app): it sends a state its callback checks.
      install_url: 'http://localhost:4000/install',
    },
    icon: asUpload(drawIcon(128, blue, [255, 209, 102])),
    screenshots: [drawScreenshot(640, 400, blue), drawScreenshot(640, 400, [6, 118, 71])].map(asUpload),
  });
  const review = await reviews.submit(operator, companyId, appId);
  await reviews.approve(operator, review.id);
}

/** The people: a developer with a company and a test company, a customer admin, a platform admin. */
async function seedPeople(accounts: Services['accounts']) {
  const devPassword = demoPassword();
  const customerPassword = demoPassword();
  const opsPassword = demoPassword();
  const dev = await accounts.createUser({ email: DEVELOPER, password: devPassword, name: 'Dana Developer' });
  const customer = await accounts.createUser({
    email: CUSTOMER,
    password: customerPassword,
    name: 'Casey Customer',
  });
  await accounts.createUser({ email: OPERATOR, password: opsPassword, name: 'Olive Ops' });
  await accounts.setPlatformAdmin(OPERATOR, true);
  const devCompany = await accounts.createOwnedCompany(dev.id, { name: 'Acme Apps', region: 'US' });
  const testCompany = await accounts.createOwnedCompany(dev.id, {
    name: 'Acme Apps (Test)',
    region: 'US',
    isTest: true,
  });
  const customerCompany = await accounts.createOwnedCompany(customer.id, {
    name: 'Globex Retail',
    region: 'EU',
  });
  const people: DemoAccount[] = [
    {
      role: 'developer',
      email: dev.email,
      password: devPassword,
      companies: [devCompany.name, testCompany.name],
    },
    {
      role: 'customer admin',
      email: customer.email,
      password: customerPassword,
      companies: [customerCompany.name],
    },
    { role: 'platform admin', email: OPERATOR, password: opsPassword, companies: [] },
  ];
  return { dev, devCompany, people };
}

/** The demo app of the developer's company: created, distributed to the example app, published. */
async function seedApp(
  services: Services,
  dev: { id: string; email: string },
  companyId: string,
): Promise<DemoApp> {
  const actor = { kind: 'user' as const, userId: dev.id, label: dev.email };
  const { app, apiKey } = await services.apps.create(actor, companyId, {
    name: 'Acme Sync',
    description: 'Syncs your storefront events and subscribers into Porter.',
    scopes: ['events:write', 'subscriptions:write'],
    homepage_url: 'http://localhost:4000',
  });
  const distributed = await services.apps.enableDistribution(actor, companyId, app.id, {
    redirect_urls: ['http://localhost:4000/oauth/callback'],
  });
  await publishDemoApp(services, companyId, app.id);
  return {
    name: app.name,
    id: app.id,
    apiKey,
    clientId: distributed.app.client_id ?? '',
    clientSecret: distributed.clientSecret,
    distributionUrl: distributed.app.distribution_url ?? '',
  };
}

/**
 * Seeds a developer company with a developer, its test company, a customer company with an
 * admin, a platform admin, and a distributed demo app published on the marketplace, through the
 * services. Returns the sign-in details and the app's credentials, or undefined when already seeded.
 */
export async function seedDemo(
  services: Services,
): Promise<{ accounts: DemoAccount[]; app: DemoApp } | undefined> {
  if (await services.accounts.findUser(DEVELOPER)) return undefined;
  const { dev, devCompany, people } = await seedPeople(services.accounts);
  return { accounts: people, app: await seedApp(services, dev, devCompany.id) };
}
