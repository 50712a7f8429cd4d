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
  webhook_url: formText,
});

export const distributionForm = formSchema({ redirect_urls: formLines });

export const clientSecretForm = formSchema({ confirm: formCheck });

export const deleteAppForm = formSchema({ confirm_name: formText });
