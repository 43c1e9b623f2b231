// Which `redirect_to` URLs the auth service honours, as GoTrue decides it:
// the site URL's own origin (any port on loopback hosts), loopback IP addresses,
// and URLs matching `[auth] additional_redirect_urls` (glob patterns where `*`
// stays within one host label or path segment and `**` matches anything).
// Anything else falls back to the site URL.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^./]*';
      }
    } else if (ch === '?') {
      source += '[^./]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function isLoopbackIp(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export class RedirectPolicy {
  private readonly allowList: RegExp[];

  constructor(
    readonly siteUrl: string,
    additionalRedirectUrls: string[],
  ) {
    this.allowList = additionalRedirectUrls.filter((url) => url !== '').map(globToRegExp);
  }

  isValid(redirectTo: string | undefined | null): boolean {
    if (!redirectTo) return false;
    let target: URL;
    let base: URL;
    try {
      target = new URL(redirectTo);
      base = new URL(this.siteUrl);
    } catch {
      return false;
    }
    // An IP address written as one decimal number (WHATWG URL normalises it, so look at the raw text).
    const rawHost = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/:?#]+)/i.exec(redirectTo)?.[1];
    if (rawHost && /^[0-9]+$/.test(rawHost)) return false;
    if (
      target.hostname === base.hostname &&
      target.protocol === base.protocol &&
      (target.port === base.port || LOOPBACK_HOSTS.has(target.hostname))
    ) {
      return true;
    }
    if (isLoopbackIp(target.hostname)) return true;
    const withoutFragment = redirectTo.split('#')[0]!;
    return this.allowList.some((pattern) => pattern.test(withoutFragment));
  }

  /** The requested URL when allowed, else the site URL. */
  resolve(...candidates: Array<string | undefined | null>): string {
    for (const candidate of candidates) if (this.isValid(candidate)) return candidate!;
    return this.siteUrl;
  }
}
