/**
 * Someone using the web server over plain HTTP, as a browser without JavaScript would: cookies are
 * kept, redirects are not followed (their Location is what is checked), form posts carry an Origin.
 */
export class WebVisitor {
  readonly #cookies = new Map<string, string>()

  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** The access token the web server keeps in its cookie (what session-service's REST wants). */
  get accessToken(): string {
    const token = this.#cookies.get('tandem_access')
    if (!token) throw new Error('not signed in')
    return token
  }

  async get(path: string): Promise<Response> {
    return this.#keep(await fetch(new URL(path, this.base), { redirect: 'manual', headers: { cookie: this.cookieHeader, accept: 'text/html' } }))
  }

  /** A form post, from `origin` (the web server's own unless an attack says otherwise). */
  async post(path: string, form: Record<string, string>, opts: { origin?: string; contentType?: string } = {}): Promise<Response> {
    const contentType = opts.contentType ?? 'application/x-www-form-urlencoded'
    const body = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(form).toString() : JSON.stringify(form)
    const headers = { cookie: this.cookieHeader, accept: 'text/html', origin: opts.origin ?? new URL(this.base).origin, 'content-type': contentType }
    return this.#keep(await fetch(new URL(path, this.base), { method: 'POST', redirect: 'manual', headers, body }))
  }

  #keep(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const { name, value, attributes } = readSetCookie(line)
      if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
    return response
  }
}

/** One Set-Cookie header line: the cookie's name and value, and its attributes as sent. */
export function readSetCookie(line: string): { name: string; value: string; attributes: string[] } {
  const [pair = '', ...attributes] = line.split(';')
  const at = pair.indexOf('=')
  return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes }
}

export const uniqueEmail = (name: string): string =>
  `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`

export const PASSWORD = 'correct horse battery'

/** A new account, signed up through the register form; the visitor holds its cookies. */
export async function registeredVisitor(base: string, name: string): Promise<WebVisitor & { email: string }> {
  const visitor = new WebVisitor(base)
  const email = uniqueEmail(name)
  const response = await visitor.post('/register', { displayName: name, email, password: PASSWORD })
  if (response.status !== 303) throw new Error(`registering ${name}: ${response.status} ${(await response.text()).slice(0, 300)}`)
  return Object.assign(visitor, { email })
}
