// Refine's data provider over PostgREST (hosted Supabase or the local gateway).
import type { BaseKey, DataProvider, HttpError } from '@refinedev/core';
import { dataProvider as supabaseDataProvider } from '@refinedev/supabase';
import type { PostgrestError } from '@supabase/supabase-js';
import { supabaseClient } from './supabase-client.ts';

const base = supabaseDataProvider(supabaseClient);

/** The slice of supabase-js used below, untyped: resources are named at run time. */
interface UntypedTable {
  update(values: unknown): {
    in(column: string, values: BaseKey[]): {
      select(columns: string): PromiseLike<{ data: unknown[] | null; error: PostgrestError | null }>;
    };
  };
}

export const dataProvider: DataProvider = {
  ...base,
  // One PATCH ... ?id=in.(…) instead of one request per row (e.g. "Mark all as read").
  updateMany: async ({ resource, ids, variables, meta }) => {
    const idColumn = typeof meta?.idColumnName === 'string' ? meta.idColumnName : 'id';
    const select = typeof meta?.select === 'string' ? meta.select : '*';
    const client = supabaseClient as unknown as { from(table: string): UntypedTable };
    const { data, error } = await client
      .from(resource)
      .update(variables as never)
      .in(idColumn, ids)
      .select(select);
    if (error) {
      const refused: HttpError = { ...error, message: error.message, statusCode: Number.parseInt(error.code) };
      throw refused;
    }
    return { data: (data ?? []) as never[] };
  },
};
