import type { ErrorBody } from '@tandem/contracts'

/** A failed call to a Tandem service, with the service's stable error code. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

/** Code of an ApiError when the service could not be reached at all. */
export const SERVICE_UNAVAILABLE = 'service_unavailable'

export type Fetch = typeof fetch

export interface ServiceOptions {
  /** e.g. http://127.0.0.1:4001 (no trailing slash needed) */
  baseUrl: string
  /** SvelteKit's `event.fetch` on the server, the global fetch elsewhere */
  fetch?: Fetch
  /** ms before a call is given up */
  timeoutMs?: number
  /** Headers sent on every call, read at the moment of the call (the web server's request id). */
  headers?: () => Record<string, string>
}

export interface RequestOptions {
  body?: unknown
  /** access token, sent as `Authorization: Bearer …` */
  token?: string
  headers?: Record<string, string>
}

/** The parsed JSON body (undefined for 204) and the response headers. */
export interface ApiResponse<T> {
  status: number
  body: T
  headers: Headers
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error
  return typeof error?.code === 'string' && typeof error.message === 'string'
}

/** Calls one JSON endpoint of a service; non-2xx answers become an ApiError. */
export async function requestJson<T>(
  service: ServiceOptions,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...service.headers?.(), ...options.headers }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const url = `${service.baseUrl.replace(/\/+$/, '')}${path}`
  let response: Response
  try {
    response = await (service.fetch ?? fetch)(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(service.timeoutMs ?? 10_000),
    })
  } catch {
    throw new ApiError(503, SERVICE_UNAVAILABLE, `${new URL(url).host} could not be reached`)
  }
  const text = await response.text()
  let parsed: unknown
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message)
    throw new ApiError(response.status, `http_${response.status}`, `${method} ${path} failed with ${response.status}`)
  }
  return { status: response.status, body: parsed as T, headers: response.headers }
}
