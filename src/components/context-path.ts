// Addresses inside an organisation context (`/:org/...`). Pure, unit-tested.
import { canAccess, type PortalContext } from '../providers/access.ts';

/** The context's home page. */
export function contextHome(context: Pick<PortalContext, 'key'>): string {
  return `/${encodeURIComponent(context.key)}`;
}

/**
 * A portal path from the database (notification.link, e.g. "/registrations/<id>"
 * or "/") inside the context: "/ZN1/registrations/<id>". Anything that is not
 * a plain absolute path (another site, "//host", "javascript:") becomes the context home.
 */
export function linkInContext(contextKey: string, link: string | null | undefined): string {
  const home = `/${encodeURIComponent(contextKey)}`;
  if (!link || !link.startsWith('/') || link.startsWith('//') || link === '/') return home;
  return `${home}${link}`;
}

const CLAIM_LINK = /^\/claims\/([0-9A-Za-z-]+)$/;

/**
 * The page a database link names, as this context opens it: claim links
 * ("/claims/<id>", one address for practice and reviewers alike) open the
 * review page where the context reviews claims but has no claims of its own.
 */
export function pageInContext(context: PortalContext, link: string | null | undefined): string | null | undefined {
  const claim = link ? CLAIM_LINK.exec(link) : null;
  if (claim && !canAccess(context, 'claims', 'list').can && canAccess(context, 'claims-review', 'show').can) {
    return `/claims-review/${claim[1]}`;
  }
  return link;
}

/** The path inside a context: "/ZN1/users/42" → ["users", "42"]; the home page → []. */
export function pageSegments(pathname: string): string[] {
  return pathname.split('/').filter(Boolean).slice(1);
}

/** A resource whose list page lives at "/:org/<segments…>". */
export interface ContextListRoute {
  resource: string;
  segments: string[];
}

/** The "/:org/…" list routes of the resources, longest first (so a nested one wins). */
export function contextListRoutes(resources: ReadonlyArray<{ name: string; list?: unknown }>): ContextListRoute[] {
  const routes: ContextListRoute[] = [];
  for (const resource of resources) {
    if (typeof resource.list !== 'string') continue;
    const parts = resource.list.split('/').filter(Boolean);
    if (parts[0] !== ':org' || parts.length < 2 || parts.slice(1).some((part) => part.startsWith(':'))) continue;
    routes.push({ resource: resource.name, segments: parts.slice(1) });
  }
  return routes.sort((a, b) => b.segments.length - a.segments.length);
}

/** The resource whose pages the path is in ("/ZN1/users/42" → users), if any. */
export function listRouteOfPath(pathname: string, routes: readonly ContextListRoute[]): ContextListRoute | undefined {
  const inside = pageSegments(pathname);
  return routes.find((route) => route.segments.every((segment, index) => inside[index] === segment));
}

/**
 * Where the organisation switcher goes: the same kind of page (its list) in
 * the new context when the new context may open it, else the new context's home.
 */
export function switchContextPath(pathname: string, next: PortalContext, routes: readonly ContextListRoute[]): string {
  const home = contextHome(next);
  const route = listRouteOfPath(pathname, routes);
  if (!route || !canAccess(next, route.resource, 'list').can) return home;
  return `${home}/${route.segments.join('/')}`;
}

/**
 * Links in emails name no organisation ("/registrations/<id>", built by the
 * database for whoever receives them): open them in the first of the person's
 * contexts that may open that kind of page. Undefined when the path is not a
 * page of any resource, or no context may open it.
 */
export function contextFreeLinkTarget(
  pathname: string,
  contexts: readonly PortalContext[],
  routes: readonly ContextListRoute[],
): string | undefined {
  for (const context of contexts) {
    const page = pageInContext(context, pathname) ?? pathname;
    // Read the whole path as if it were inside a context ("/-" stands for the missing segment).
    const route = listRouteOfPath(`/-${page}`, routes);
    if (route && canAccess(context, route.resource, 'list').can) return `${contextHome(context)}${page}`;
  }
  return undefined;
}
