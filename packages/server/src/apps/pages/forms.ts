import { formCheck, formLines, formList, formSchema, formText } from '../../web/forms.js';

// The portal's form bodies, shaped at the edge; the apps service then applies its rules.

/** Create and settings: an empty URL field means none. */
export const appSettingsForm = formSchema({
  name: formText,
  description: formText,
  scopes: formList,
  redirect_urls: formLines,
  allowed_origins: formLines,
  homepage_url: formText,
  logo_url: formText,
});

/** The Webhooks tab's URL form. */
export const webhookUrlForm = formSchema({ webhook_url: formText });

export const distributionForm = formSchema({ redirect_urls: formLines });

/** A new secret that replaces the current one (client secret, webhook signing secret): confirmed. */
export const confirmForm = formSchema({ confirm: formCheck });

/** The client secret's regeneration: confirmed, with how long the old secret keeps working. */
export const clientSecretForm = formSchema({ confirm: formCheck, keep_old: formText });

/** A form that is only a button (and its CSRF token). */
export const buttonForm = formSchema({});

export const deleteAppForm = formSchema({ confirm_name: formText });
