// Which Supabase project the portal talks to. Kept free of supabase-js so the
// page can explain a missing setting instead of failing on a blank screen.

export interface SupabaseSettings {
  url: string;
  anonKey: string;
}

export type SupabaseSettingsResult =
  | { ok: true; settings: SupabaseSettings }
  | { ok: false; problem: string };

export function readSupabaseSettings(env: {
  VITE_SUPABASE_URL?: string | undefined;
  VITE_SUPABASE_ANON_KEY?: string | undefined;
}): SupabaseSettingsResult {
  const url = env.VITE_SUPABASE_URL?.trim();
  const anonKey = env.VITE_SUPABASE_ANON_KEY?.trim();
  const missing = [!url && 'VITE_SUPABASE_URL', !anonKey && 'VITE_SUPABASE_ANON_KEY'].filter(Boolean);
  if (missing.length > 0 || !url || !anonKey) {
    return {
      ok: false,
      problem:
        `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. ` +
        'Run `npm start` to use the local stack, or set SUPABASE_URL and SUPABASE_ANON_KEY to use a hosted project.',
    };
  }
  try {
    new URL(url);
  } catch {
    return { ok: false, problem: `VITE_SUPABASE_URL is not a valid URL: "${url}".` };
  }
  return { ok: true, settings: { url, anonKey } };
}

/** A short label for the header: the local stack or a hosted project. */
export function environmentLabel(url: string): string {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' ? 'Local stack' : host;
}
