/** A cookie-keeping HTTP client for pages: what a browser without JavaScript does. */
export class PageClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Sends a request without following redirects; keeps cookies like a browser. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
    this.keepCookies(res);
    return res;
  }

  get(path: string) {
    return this.request(path);
  }

  /** Posts a form as a browser would (urlencoded). */
  post(path: string, form: Record<string, string>) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** GETs a page and returns its HTML and the CSRF token of its first form. */
  async page(path: string): Promise<{ res: Response; html: string; csrf: string }> {
    const res = await this.get(path);
    const html = await res.text();
    return { res, html, csrf: csrfOf(html) };
  }

  /** Follows a redirect the way a browser does after a form (GET of its Location). */
  async follow(res: Response): Promise<{ res: Response; html: string; csrf: string; path: string }> {
    const location = res.headers.get('location');
    if (res.status !== 303 || !location) throw new Error(`expected a 303 redirect, got ${res.status}`);
    const url = new URL(location, this.base);
    return { ...(await this.page(`${url.pathname}${url.search}`)), path: url.pathname };
  }

  /** Posts a form and follows its redirect: the page a person lands on, and where. */
  async submit(path: string, form: Record<string, string> | URLSearchParams) {
    const res = await this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return this.follow(res);
  }

  /**
   * Signs in and says how it went: `signed-in`, `refused` (wrong or missing input) or
   * `throttled`, with the message the sign-in page showed.
   */
  async signInOutcome(email: string, password: string) {
    const res = await this.signIn(email, password);
    const location = res.headers.get('location') ?? '';
    if (res.status === 303 && !location.startsWith('/sign-in')) return { outcome: 'signed-in', message: '' };
    const { html } = await this.follow(res);
    const message = /id="sign-in-error">([^<]*)</.exec(html)?.[1] ?? '';
    return { outcome: /Too many/.test(message) ? 'throttled' : 'refused', message };
  }

  /** Loads the sign-in form and submits it. */
  async signIn(email: string, password: string, returnTo?: string): Promise<Response> {
    const { csrf } = await this.page('/sign-in');
    return this.post('/sign-in', {
      _csrf: csrf,
      email,
      password,
      ...(returnTo ? { return_to: returnTo } : {}),
    });
  }
}

export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}
