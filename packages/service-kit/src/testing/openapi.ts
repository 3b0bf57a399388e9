import diagnostics from 'node:diagnostics_channel'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { securityHeaderProblems } from './abuse/headers.ts'

export interface RecordedRoute {
  method: string
  url: string
  /** `schema.hide`: left out of the document on purpose (the CORS preflight catch-all, the docs' own). */
  hidden: boolean
}

/**
 * Runs `build` (a service's `buildApp`) and records, with an `onRoute` hook, every route of the
 * Fastify instances it creates. Fastify announces each new instance on the
 * `fastify.initialization` channel before any route exists, which is where the hook goes in.
 */
export async function recordRoutes<T>(build: () => Promise<T>): Promise<{ built: T; routes: RecordedRoute[] }> {
  const routes: RecordedRoute[] = []
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance }
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, hidden })
    })
  }
  diagnostics.subscribe('fastify.initialization', onInit)
  try {
    return { built: await build(), routes }
  } finally {
    diagnostics.unsubscribe('fastify.initialization', onInit)
  }
}

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>
}
export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, OpenApiOperation>>
}

/** Answers that have no body: their description is their documentation. */
const BODILESS_STATUSES = new Set(['101', '204', '304'])

/**
 * What the OpenAPI document leaves out: a route (other than HEAD, the docs' own and the hidden) missing from
 * `paths`, one without a response schema or a documented error answer, or one that takes a body (POST, PUT, PATCH, unless
 * named in `withoutBody` as `METHOD /url`) without a request body schema.
 */
export function openApiProblems(doc: OpenApiDocument, routes: RecordedRoute[], withoutBody: string[] = []): string[] {
  const problems: string[] = []
  for (const { method, url, hidden } of routes) {
    if (hidden || method === 'HEAD' || url === '/docs' || url.startsWith('/docs/')) continue
    const name = `${method} ${url}`
    const operation = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]
    if (!operation) {
      problems.push(`${name}: not in the document`)
      continue
    }
    const responses = Object.entries(operation.responses ?? {})
    const described = responses.some(([status, r]) => r.content?.['application/json']?.schema || (BODILESS_STATUSES.has(status) && r.description))
    if (!described) problems.push(`${name}: no response schema`)
    const errors = operation.responses?.['4XX']?.content?.['application/json']?.schema
    if (!errors) problems.push(`${name}: no error answer (4XX) documented`)
    const takesBody = ['POST', 'PUT', 'PATCH'].includes(method) && !withoutBody.includes(name)
    if (takesBody && !operation.requestBody?.content?.['application/json']?.schema) problems.push(`${name}: no request body schema`)
  }
  return problems
}

/**
 * Fetches `/docs/json` without a token and lists what is wrong with it: its status, security
 * headers and OpenAPI version, then `openApiProblems` for the recorded routes.
 */
export async function apiDocsProblems(app: FastifyInstance, routes: RecordedRoute[], withoutBody: string[] = []) {
  const res = await app.inject({ method: 'GET', url: '/docs/json' })
  if (res.statusCode !== 200) return { doc: undefined, problems: [`/docs/json answered ${res.statusCode}`] }
  const doc = res.json() as OpenApiDocument
  const problems = securityHeaderProblems(res.headers)
  if (!/^3\./.test(doc.openapi)) problems.push(`openapi ${doc.openapi}, not 3.x`)
  return { doc, problems: [...problems, ...openApiProblems(doc, routes, withoutBody)] }
}

/** What is wrong with the docs UI at `/docs` (followed through its redirect): status, type, headers. */
export async function apiDocsUiProblems(app: FastifyInstance): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/docs' })
  const page = res.statusCode === 302 ? await app.inject({ method: 'GET', url: String(res.headers.location) }) : res
  if (page.statusCode !== 200) return [`/docs answered ${page.statusCode}`]
  const type = String(page.headers['content-type'])
  return [...(type.startsWith('text/html') ? [] : [`/docs is ${type}, not HTML`]), ...securityHeaderProblems(page.headers)]
}
