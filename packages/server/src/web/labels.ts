// The words a person reads for each field, by its wire name: error summaries and error pages
// name fields by these, never by the internal name.
const LABELS: Record<string, string> = {
  name: 'Name',
  email: 'Email',
  password: 'Password',
  description: 'Description',
  scopes: 'Scopes',
  redirect_urls: 'Redirect URLs',
  allowed_origins: 'Allowed origins',
  homepage_url: 'Homepage URL',
  logo_url: 'Logo URL',
  webhook_url: 'Webhook URL',
  confirm: 'Confirmation',
  confirm_name: 'App name confirmation',
  company_id: 'Company',
  company_name: 'Company name',
  token_name: 'Token name',
  region: 'Region',
  role: 'Role',
  current_password: 'Current password',
  token: 'Link',
  body: 'Form',
};

/** The label of a field, for messages: "Redirect URLs", not "redirect_urls". */
export function labelOf(field: string, overrides: Record<string, string> = {}): string {
  return overrides[field] ?? LABELS[field] ?? field.replaceAll('_', ' ');
}
