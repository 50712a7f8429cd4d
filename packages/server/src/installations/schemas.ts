import { z } from 'zod';

/** An installation's one JSON shape (installations/service.ts InstallationView), for the API docs. */
export const installationSchema = z
  .object({
    id: z.string(),
    app: z.object({ id: z.string(), name: z.string() }),
    company: z.object({ id: z.string(), name: z.string() }),
    region: z.string(),
    api_base_url: z.string().describe("The API base URL for the company's region"),
    scopes: z.array(z.string()),
    installed_by: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    installed_at: z.string(),
    updated_at: z.string(),
  })
  .describe('The installation an access token acts for');
