import { randomBytes } from 'node:crypto';
import type { Services } from '../app.js';

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
  companies: string[];
}

const DEVELOPER = 'dev@porter.example';
const CUSTOMER = 'admin@globex.example';

function demoPassword(): string {
  return `demo-${randomBytes(9).toString('base64url')}`;
}

/**
 * Seeds a developer company with a developer, its test company, and a customer company with an
 * admin, through the services. Returns the sign-in details, or undefined when already seeded.
 */
export async function seedDemo({ accounts }: Services): Promise<DemoAccount[] | undefined> {
  if (await accounts.findUser(DEVELOPER)) return undefined;
  const devPassword = demoPassword();
  const customerPassword = demoPassword();
  const dev = await accounts.createUser({ email: DEVELOPER, password: devPassword, name: 'Dana Developer' });
  const customer = await accounts.createUser({
    email: CUSTOMER,
    password: customerPassword,
    name: 'Casey Customer',
  });
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
  return [
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
  ];
}
