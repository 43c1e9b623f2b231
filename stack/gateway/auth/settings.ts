// Everything the auth service is configured with, read ONCE when the service
// starts (so editing supabase/config.toml needs a stack restart, as with
// `supabase stop && supabase start`).
//
// Sources, in order of precedence:
//   1. `STACK_AUTH_*` environment variables (local-stack-only knobs, see docs/auth.md);
//   2. `supabase/config.toml` — only keys the Supabase CLI itself accepts (it parses
//      the file strictly, so local-only settings must never be added there);
//   3. the Supabase CLI's defaults.
import { readSupabaseConfig, setting, type SupabaseConfig } from '../../supabase-config.ts';
import { secondsFrom } from './duration.ts';

export interface CustomAccessTokenHook {
  /** As written in config.toml, e.g. `pg-functions://postgres/public/custom_access_token_hook`. */
  uri: string;
  /** Quoted `"schema"."function"`, or undefined when the URI is not a pg-functions URI. */
  functionName: string | undefined;
}

export interface RateLimits {
  /** Window every limit below is counted over (GoTrue and the CLI use 5 minutes). */
  windowSeconds: number;
  /** Per IP: sign-ups, password sign-ins, OTP / magic link / recovery / resend requests, PUT /user. */
  signInSignUps: number;
  /** Per IP: refresh-token and PKCE grants. */
  tokenRefresh: number;
  /** Per IP: GET and POST /verify. */
  tokenVerifications: number;
  /**
   * Per email address and client: failed password sign-ins that cost nothing; each one
   * after them doubles the client's wait for that address (local-stack rule; GoTrue has none).
   */
  passwordFailuresBeforeDelay: number;
  /** The longest such wait, in seconds. */
  passwordFailureMaxDelaySeconds: number;
  /** Header a trusted proxy names the client in ('' = the TCP peer only). */
  header: string;
  /** Peers (addresses or CIDR ranges) whose `header` is believed; none by default. */
  trustedProxies: string[];
}

export interface AuthSettings {
  /** http://127.0.0.1:<port>, the gateway as clients see it. */
  publicUrl: string;
  /** `${publicUrl}/auth/v1` unless `[auth] external_url` says otherwise: base of email links. */
  externalUrl: string;
  /** `iss` of access tokens (`[auth] jwt_issuer`, default the external URL). */
  jwtIssuer: string;
  jwtSecret: string;
  /** Access-token lifetime in seconds (`[auth] jwt_expiry`). */
  jwtExpiry: number;
  siteUrl: string;
  additionalRedirectUrls: string[];
  enableSignup: boolean;
  /** `[auth.email] enable_signup`: email sign-ups and sign-ins at all. */
  emailProviderEnabled: boolean;
  enableAnonymousSignIns: boolean;
  /** `[auth.email] enable_confirmations`: false = auto-confirm sign-ups. */
  enableConfirmations: boolean;
  /** `[auth.email] double_confirm_changes`: email changes confirmed on both addresses. */
  doubleConfirmChanges: boolean;
  /** `[auth.email] secure_password_change`: password changes need a session younger than 24 h or a nonce. */
  securePasswordChange: boolean;
  minimumPasswordLength: number;
  /** Character sets a password must draw from (one character of each). */
  passwordRequiredCharacters: string[];
  refreshTokenRotation: boolean;
  /** Seconds a revoked refresh token may still be used (`[auth] refresh_token_reuse_interval`). */
  refreshTokenReuseInterval: number;
  /** Seconds between two emails of one kind to one user (`[auth.email] max_frequency`). */
  emailMaxFrequency: number;
  otpLength: number;
  /** Seconds recovery, magic-link, email-change and reauthentication codes live (`[auth.email] otp_expiry`). */
  otpExpiry: number;
  /** Product rule: seconds sign-up confirmation links live (default 14 days). */
  signupLinkExpiry: number;
  /** Product rule: seconds invitation links live (default 14 days). */
  inviteLinkExpiry: number;
  /** `[auth.sessions] timebox` / `inactivity_timeout` in seconds (0 = off). */
  sessionTimebox: number;
  sessionInactivityTimeout: number;
  /** JWT roles allowed on admin endpoints. */
  adminRoles: string[];
  customAccessTokenHook: CustomAccessTokenHook | undefined;
  rateLimits: RateLimits;
  
  /** pgcrypto bcrypt cost (GoTrue uses 10). */
  bcryptCost: number;
}

/** lower_upper_letters_digits etc. as the CLI turns them into GOTRUE_PASSWORD_REQUIRED_CHARACTERS. */
export function requiredCharacters(requirement: string): string[] {
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const digits = '0123456789';
  const symbols = "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~";
  switch (requirement) {
    case '':
      return [];
    case 'letters_digits':
      return [lower + upper, digits];
    case 'lower_upper_letters_digits':
      return [lower, upper, digits];
    case 'lower_upper_letters_digits_symbols':
      return [lower, upper, digits, symbols];
    default:
      throw new Error(`[auth] password_requirements must be one of "", letters_digits, lower_upper_letters_digits, lower_upper_letters_digits_symbols; got "${requirement}"`);
  }
}

/** `pg-functions://<database>/<schema>/<function>` → `"schema"."function"`. */
export function hookFunctionName(uri: string): string | undefined {
  const match = /^pg-functions:\/\/[^/]+\/([^/]+)\/([^/]+)$/.exec(uri.trim());
  if (!match) return undefined;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return `${quote(match[1]!)}.${quote(match[2]!)}`;
}

/** The CLI's `env(NAME)` substitution for string values. */
function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value !== 'string') return value;
  const match = /^env\((\w+)\)$/.exec(value.trim());
  return match ? (env[match[1]!] ?? '') : value;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function envSeconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return secondsFrom(raw, 0);
  } catch {
    throw new Error(`${name} must be seconds or a Go duration such as "336h", got "${raw}"`);
  }
}

const FOURTEEN_DAYS = 14 * 24 * 3600;

export interface AuthSettingsInputs {
  publicUrl: string;
  jwtSecret: string;
  anonKey: string;
  config?: SupabaseConfig;
  env?: NodeJS.ProcessEnv;
  /** The gateway's `trustedProxies` (STACK_TRUSTED_PROXIES). */
  trustedProxies?: string[];
}

export function loadAuthSettings(inputs: AuthSettingsInputs): AuthSettings {
  const config = inputs.config ?? readSupabaseConfig();
  const env = inputs.env ?? process.env;
  const get = <T>(key: string, fallback: T): T => substituteEnv(setting<T>(key, fallback, config), env) as T;

  const externalUrl = (get<string>('auth.external_url', '') || `${inputs.publicUrl}/auth/v1`).replace(/\/+$/, '');
  const hookEnabled = get<boolean>('auth.hook.custom_access_token.enabled', false);
  const hookUri = get<string>('auth.hook.custom_access_token.uri', '');
  const rateHeader = env.STACK_AUTH_RATE_LIMIT_HEADER ?? 'X-Forwarded-For';

  return {
    publicUrl: inputs.publicUrl,
    externalUrl,
    jwtIssuer: get<string>('auth.jwt_issuer', '') || externalUrl,
    jwtSecret: inputs.jwtSecret,
    jwtExpiry: get<number>('auth.jwt_expiry', 3600),
    siteUrl: get<string>('auth.site_url', 'http://127.0.0.1:3000'),
    additionalRedirectUrls: get<string[]>('auth.additional_redirect_urls', []).map((url) => String(substituteEnv(url, env))),
    enableSignup: get<boolean>('auth.enable_signup', true),
    emailProviderEnabled: get<boolean>('auth.email.enable_signup', true),
    enableAnonymousSignIns: get<boolean>('auth.enable_anonymous_sign_ins', false),
    enableConfirmations: get<boolean>('auth.email.enable_confirmations', false),
    doubleConfirmChanges: get<boolean>('auth.email.double_confirm_changes', true),
    securePasswordChange: get<boolean>('auth.email.secure_password_change', false),
    minimumPasswordLength: get<number>('auth.minimum_password_length', 6),
    passwordRequiredCharacters: requiredCharacters(get<string>('auth.password_requirements', '')),
    refreshTokenRotation: get<boolean>('auth.enable_refresh_token_rotation', true),
    refreshTokenReuseInterval: get<number>('auth.refresh_token_reuse_interval', 10),
    emailMaxFrequency: secondsFrom(get<unknown>('auth.email.max_frequency', '1s'), 1),
    otpLength: get<number>('auth.email.otp_length', 6),
    otpExpiry: get<number>('auth.email.otp_expiry', 3600),
    signupLinkExpiry: envSeconds(env, 'STACK_AUTH_SIGNUP_LINK_EXPIRY') ?? FOURTEEN_DAYS,
    inviteLinkExpiry: envSeconds(env, 'STACK_AUTH_INVITE_LINK_EXPIRY') ?? FOURTEEN_DAYS,
    sessionTimebox: secondsFrom(get<unknown>('auth.sessions.timebox', 0), 0),
    sessionInactivityTimeout: secondsFrom(get<unknown>('auth.sessions.inactivity_timeout', 0), 0),
    adminRoles: ['service_role', 'supabase_admin'],
    customAccessTokenHook: hookEnabled && hookUri ? { uri: hookUri, functionName: hookFunctionName(hookUri) } : undefined,
    rateLimits: {
      windowSeconds: 300,
      signInSignUps: envNumber(env, 'STACK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS') ?? get<number>('auth.rate_limit.sign_in_sign_ups', 30),
      tokenRefresh: envNumber(env, 'STACK_AUTH_RATE_LIMIT_TOKEN_REFRESH') ?? get<number>('auth.rate_limit.token_refresh', 150),
      tokenVerifications:
        envNumber(env, 'STACK_AUTH_RATE_LIMIT_TOKEN_VERIFICATIONS') ?? get<number>('auth.rate_limit.token_verifications', 30),
      passwordFailuresBeforeDelay: envNumber(env, 'STACK_AUTH_PASSWORD_FAILURES_BEFORE_DELAY') ?? 5,
      passwordFailureMaxDelaySeconds: envSeconds(env, 'STACK_AUTH_PASSWORD_FAILURE_MAX_DELAY') ?? 300,
      header: rateHeader.trim(),
      trustedProxies: inputs.trustedProxies ?? [],
    },
    bcryptCost: 10,
  };
}
