// The auth service's pure parts: configuration, durations, redirect rules, error
// rendering, hook-output checks, token buckets. No database or HTTP involved.
import { describe, expect, it } from 'vitest';
import { parseGoDuration, secondsFrom } from '../../../stack/gateway/auth/duration.ts';
import { AuthError, OAuthError, renderError, WeakPasswordError } from '../../../stack/gateway/auth/errors.ts';
import { claimProblems } from '../../../stack/gateway/auth/hook.ts';
import { PasswordFailureDelay, RateLimiter, TrustedProxies } from '../../../stack/gateway/auth/rate-limit.ts';
import { RedirectPolicy } from '../../../stack/gateway/auth/redirect.ts';
import { pkceVerifies, tokenHash } from '../../../stack/gateway/auth/secrets.ts';
import { hookFunctionName, loadAuthSettings } from '../../../stack/gateway/auth/settings.ts';
import { readSupabaseConfig } from '../../../stack/supabase-config.ts';

describe('settings', () => {
  const inputs = { publicUrl: 'http://127.0.0.1:54321', jwtSecret: 's'.repeat(40), anonKey: 'anon-key' };

  it('reads the project config.toml', () => {
    const settings = loadAuthSettings({ ...inputs, env: {} });
    const config = readSupabaseConfig() as { auth: Record<string, any> };
    expect(settings.externalUrl).toBe('http://127.0.0.1:54321/auth/v1');
    expect(settings.jwtIssuer).toBe('http://127.0.0.1:54321/auth/v1');
    expect(settings.jwtExpiry).toBe(config.auth.jwt_expiry ?? 3600);
    expect(settings.siteUrl).toBe(config.auth.site_url);
    expect(settings.enableConfirmations).toBe(config.auth.email.enable_confirmations);
    expect(settings.minimumPasswordLength).toBe(config.auth.minimum_password_length);
    expect(settings.signupLinkExpiry).toBe(14 * 24 * 3600);
    expect(settings.inviteLinkExpiry).toBe(14 * 24 * 3600);
    expect(settings.otpExpiry).toBe(3600);
  });

  it('takes CLI-shaped values and STACK_AUTH_* overrides', () => {
    const config = {
      auth: {
        site_url: 'env(MY_SITE)',
        password_requirements: 'letters_digits',
        hook: { custom_access_token: { enabled: true, uri: 'pg-functions://postgres/public/custom_access_token_hook' } },
        rate_limit: { sign_in_sign_ups: 12 },
        email: { max_frequency: '1m30s', enable_confirmations: false },
        sessions: { timebox: '24h' },
      },
    };
    const settings = loadAuthSettings({
      ...inputs,
      config,
      env: {
        MY_SITE: 'https://portal.example',
        STACK_AUTH_RATE_LIMIT_TOKEN_REFRESH: '7',
        STACK_AUTH_INVITE_LINK_EXPIRY: '48h',
        STACK_AUTH_RATE_LIMIT_HEADER: '',
      },
    });
    expect(settings.siteUrl).toBe('https://portal.example');
    expect(settings.passwordRequiredCharacters).toHaveLength(2);
    expect(settings.customAccessTokenHook).toEqual({
      uri: 'pg-functions://postgres/public/custom_access_token_hook',
      functionName: '"public"."custom_access_token_hook"',
    });
    expect(settings.rateLimits).toMatchObject({ signInSignUps: 12, tokenRefresh: 7, tokenVerifications: 30, header: '' });
    expect(settings.emailMaxFrequency).toBe(90);
    expect(settings.enableConfirmations).toBe(false);
    expect(settings.sessionTimebox).toBe(86400);
    expect(settings.inviteLinkExpiry).toBe(172800);
    expect(() => loadAuthSettings({ ...inputs, config: { auth: { password_requirements: 'strong' } }, env: {} })).toThrow(/password_requirements/);
  });

  it('hook URIs', () => {
    expect(hookFunctionName('pg-functions://postgres/my schema/fn"x')).toBe('"my schema"."fn""x"');
    expect(hookFunctionName('https://example.com/hook')).toBeUndefined();
  });
});

describe('Go durations', () => {
  it('parses what ban_duration and the CLI accept', () => {
    expect(parseGoDuration('24h')).toBe(86_400_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('876000h')).toBe(876000 * 3_600_000);
    expect(parseGoDuration('-10m')).toBe(-600_000);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('forever')).toThrow('time: invalid duration "forever"');
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(secondsFrom(3600, 0)).toBe(3600);
    expect(secondsFrom('1s', 0)).toBe(1);
    expect(secondsFrom(undefined, 5)).toBe(5);
  });
});

describe('redirect_to rules', () => {
  const policy = new RedirectPolicy('http://127.0.0.1:5173', ['http://localhost:5173', 'https://*.portal.example/**', 'https://app.example/done']);

  it('allows the site, loopback addresses and the allow list (globs)', () => {
    expect(policy.isValid('http://127.0.0.1:5173/some/page?x=1')).toBe(true);
    expect(policy.isValid('http://127.0.0.1:9999/callback')).toBe(true);
    expect(policy.isValid('http://localhost:5173')).toBe(true);
    expect(policy.isValid('https://review.portal.example/claims/1')).toBe(true);
    expect(policy.isValid('https://app.example/done')).toBe(true);
  });

  it('refuses everything else', () => {
    expect(policy.isValid('https://evil.example')).toBe(false);
    expect(policy.isValid('https://a.b.portal.example/x')).toBe(false); // * stays within one label
    expect(policy.isValid('http://localhost:5173/other')).toBe(false);
    expect(policy.isValid('https://app.example/done/more')).toBe(false);
    expect(policy.isValid('http://2130706433/')).toBe(false); // decimal IP
    expect(policy.isValid('not a url')).toBe(false);
    expect(policy.resolve('https://evil.example', undefined)).toBe('http://127.0.0.1:5173');
  });
});

describe('error rendering', () => {
  const error = new AuthError(400, 'invalid_credentials', 'Invalid login credentials');

  it('legacy and 2024-01-01 formats', () => {
    expect(renderError(error, undefined)).toEqual({
      status: 400,
      headers: { 'x-sb-error-code': 'invalid_credentials' },
      body: { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' },
    });
    expect(renderError(error, '2024-01-01')).toEqual({
      status: 400,
      headers: { 'X-Supabase-Api-Version': '2024-01-01', 'x-sb-error-code': 'invalid_credentials' },
      body: { code: 'invalid_credentials', message: 'Invalid login credentials' },
    });
    // an older or malformed version is the legacy format
    expect(renderError(error, '2023-12-31').body).toHaveProperty('msg');
    expect(renderError(error, 'yesterday').body).toHaveProperty('msg');
  });

  it('codes for uncoded errors, OAuth errors, weak passwords, unexpected failures', () => {
    expect(renderError(new AuthError(403, '', 'hook says no'), '2024-01-01').body).toEqual({ code: 'unknown', message: 'hook says no' });
    expect(renderError(new OAuthError('invalid_request', 'refresh_token required'), undefined)).toEqual({
      status: 400,
      headers: {},
      body: { error: 'invalid_request', error_description: 'refresh_token required' },
    });
    expect(renderError(new WeakPasswordError('too short', ['length']), undefined).body).toEqual({
      code: 422,
      error_code: 'weak_password',
      msg: 'too short',
      weak_password: { reasons: ['length'] },
    });
    const original = console.error;
    console.error = () => {};
    try {
      const crash = renderError(new Error('boom'), undefined);
      expect(crash.status).toBe(500);
      expect(crash.body).toMatchObject({ code: 500, error_code: 'unexpected_failure', error_id: expect.any(String) });
    } finally {
      console.error = original;
    }
  });
});

describe('hook output claims', () => {
  const valid = { aud: 'authenticated', exp: 2, iat: 1, sub: 'x', email: '', phone: '', role: 'authenticated', aal: 'aal1', session_id: 's', is_anonymous: false };
  it('must keep the required claims with the right types', () => {
    expect(claimProblems(valid)).toBe('');
    expect(claimProblems({ ...valid, role: undefined, exp: 'soon' } as never)).toBe(
      '- exp: Invalid type. Expected: integer, given: string\n- role: Invalid type. Expected: string, given: undefined\n',
    );
    const { session_id: _omit, ...missing } = valid;
    expect(claimProblems(missing)).toBe('- (root): session_id is required\n');
  });
});

describe('token buckets', () => {
  it('refill over the window', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 1000, () => now);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
    now = 500;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });
});

describe('password failure delay', () => {
  it('doubles the wait after the free failures, caps it, and forgets only once the wait is over', () => {
    let now = 0;
    const delay = new PasswordFailureDelay(1, 8000, 5000, () => now);
    delay.recordFailure('k');
    expect(delay.waitMs('k')).toBe(0);
    const waits = [];
    for (let i = 0; i < 5; i++) {
      delay.recordFailure('k');
      waits.push(delay.waitMs('k'));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    now = 6000; // past forgetAfter (5 s), but not past the 8 s wait
    expect(delay.waitMs('k')).toBe(2000);
    now = 8000;
    expect(delay.waitMs('k')).toBe(0);
    delay.recordFailure('k'); // forgotten by now: a free failure again
    expect(delay.waitMs('k')).toBe(0);
    expect(delay.waitMs('other')).toBe(0);
  });
});

describe('trusted proxies', () => {
  it('match exact addresses and CIDR ranges, IPv4 and IPv6; anything else is refused at start', () => {
    const proxies = new TrustedProxies(['127.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8']);
    expect(['127.0.0.1', '10.1.200.3', '::1', 'fd12::5'].map((a) => proxies.includes(a))).toEqual([true, true, true, true]);
    expect(['127.0.0.2', '10.2.0.1', '::2', 'not an address', ''].map((a) => proxies.includes(a))).toEqual([false, false, false, false, false]);
    expect(new TrustedProxies([]).includes('127.0.0.1')).toBe(false);
    expect(() => new TrustedProxies(['localhost'])).toThrow('trusted proxy "localhost" is not an IP address or CIDR range');
    expect(() => new TrustedProxies(['10.0.0.0/x'])).toThrow();
  });
});

describe('token hashes and PKCE', () => {
  it('hash = hex SHA-224(email + code); S256 and plain verifiers', () => {
    expect(tokenHash('a@b.c', '123456')).toMatch(/^[0-9a-f]{56}$/);
    expect(tokenHash('a@b.c', '123456')).not.toBe(tokenHash('a@b.c', '123457'));
    // RFC 7636 appendix B
    expect(pkceVerifies('s256', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(true);
    expect(pkceVerifies('S256', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'wrong')).toBe(false);
    expect(pkceVerifies('plain', 'abc', 'abc')).toBe(true);
  });
});
