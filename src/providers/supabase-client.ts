// The one Supabase client of the portal, built from the values Vite compiles
// in (see vite.config.ts). Importing this module without them throws, with a
// message saying how to provide them; main.tsx checks first.
import { createClient } from '@supabase/supabase-js';
import type { Database } from '../types/database.ts';
import { readSupabaseSettings } from './supabase-settings.ts';

const result = readSupabaseSettings(import.meta.env);
if (!result.ok) throw new Error(result.problem);

export const supabaseSettings = result.settings;

export const supabaseClient = createClient<Database>(supabaseSettings.url, supabaseSettings.anonKey, {
  auth: {
    persistSession: true,
    autoRefreshToken: true,
    // Links in confirmation, invitation and recovery emails land on the portal with the session in the URL.
    detectSessionInUrl: true,
  },
});
