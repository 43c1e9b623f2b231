// Refine's data provider over PostgREST (hosted Supabase or the local gateway).
import { dataProvider as supabaseDataProvider } from '@refinedev/supabase';
import { supabaseClient } from './supabase-client.ts';

export const dataProvider = supabaseDataProvider(supabaseClient);
