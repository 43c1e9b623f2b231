/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Supabase project URL, e.g. http://127.0.0.1:54321 for the local stack. */
  readonly VITE_SUPABASE_URL?: string;
  /** The project's public anon key (safe to ship to browsers; RLS does the protecting). */
  readonly VITE_SUPABASE_ANON_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
