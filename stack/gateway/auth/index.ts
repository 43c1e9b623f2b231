// The local Auth service (GoTrue's contract as auth-js v2 uses it), mounted by the
// gateway at /auth/v1 behind the apikey check. See docs/auth.md.
//
//   settings.ts  what config.toml + STACK_AUTH_* say (read once, at start)
//   app.ts       routes → handlers/*.ts (HTTP edge)
//   sessions.ts  sessions, refresh-token rotation, access tokens (+ hook.ts)
//   mail.ts      email links and codes, sent through context.mailer
//   users.ts     auth.users / auth.identities rows and the API user object
import type { GatewayContext, GatewayService, ServiceFactory } from '../service.ts';
import { authRoutes } from './app.ts';
import type { AuthService } from './http.ts';
import { AuthMail } from './mail.ts';
import { PasswordFailureDelay, RateLimiter, TrustedProxies } from './rate-limit.ts';
import { RedirectPolicy } from './redirect.ts';
import { loadAuthSettings, type AuthSettings } from './settings.ts';

export type { AuthSettings } from './settings.ts';

/** The service for given settings (tests build one with their own settings). */
export function createAuthService(
  context: Pick<GatewayContext, 'admin' | 'mailer'>,
  settings: AuthSettings,
  /** The clock rate limits and delays run on (tests move it instead of waiting). */
  now: () => number = Date.now,
): GatewayService {
  const windowMs = settings.rateLimits.windowSeconds * 1000;
  const { signInSignUps, tokenRefresh, tokenVerifications, passwordFailuresBeforeDelay, passwordFailureMaxDelaySeconds } = settings.rateLimits;
  const bucket = (limit: number) => new RateLimiter(limit, windowMs, now);
  const service: AuthService = {
    settings,
    admin: context.admin,
    mail: new AuthMail(settings, context.mailer),
    redirects: new RedirectPolicy(settings.siteUrl, settings.additionalRedirectUrls),
    limits: {
      signup: bucket(signInSignUps),
      passwordSignIn: bucket(signInSignUps),
      recover: bucket(signInSignUps),
      resend: bucket(signInSignUps),
      otp: bucket(signInSignUps),
      magicLink: bucket(signInSignUps),
      userUpdate: bucket(signInSignUps),
      tokenRefresh: bucket(tokenRefresh),
      verify: bucket(tokenVerifications),
      passwordFailures: new PasswordFailureDelay(passwordFailuresBeforeDelay, passwordFailureMaxDelaySeconds * 1000, windowMs, now),
    },
    trustedProxies: new TrustedProxies(settings.rateLimits.trustedProxies),
  };
  return { routes: authRoutes(service) };
}

export const authService: ServiceFactory = async (context) => {
  const settings = loadAuthSettings({
    publicUrl: context.publicUrl,
    jwtSecret: context.config.jwtSecret,
    anonKey: context.keys.anonKey,
    trustedProxies: context.config.trustedProxies,
  });
  if (settings.customAccessTokenHook && !settings.customAccessTokenHook.functionName) {
    console.warn(`[auth] [auth.hook.custom_access_token] uri "${settings.customAccessTokenHook.uri}" is not a pg-functions URI; token issue will fail`);
  }
  return createAuthService(context, settings);
};
