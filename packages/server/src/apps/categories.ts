/** The marketplace's categories: a listing names one by slug; the marketplace filters by it. */
export const CATEGORIES = {
  marketing: 'Marketing',
  'sales-crm': 'Sales and CRM',
  'customer-support': 'Customer support',
  analytics: 'Analytics and reporting',
  ecommerce: 'Ecommerce',
  communication: 'Communication',
  productivity: 'Productivity',
  finance: 'Finance and accounting',
  'developer-tools': 'Developer tools',
  other: 'Other',
} as const;

export type Category = keyof typeof CATEGORIES;

export const CATEGORY_SLUGS = Object.keys(CATEGORIES) as [Category, ...Category[]];

export function isCategory(value: string): value is Category {
  return Object.hasOwn(CATEGORIES, value);
}
