// Clusters as the pages read them, and the text rules create_cluster and
// update_cluster enforce (the database is the authority; the form only
// answers sooner).
import type { Rule } from 'antd/es/form';
import type { Tables } from '../../types/database.ts';
import type dictionary from './i18n.ts';
import type { TextValues } from '../../components/area-text.ts';

export type Cluster = Tables<'clusters'>;

export const CLUSTER_NAME_MIN = 3;
export const CLUSTER_NAME_MAX = 100;
export const CLUSTER_DESCRIPTION_MAX = 1000;

export const CLUSTERS = 'clusters';
export const CLUSTER_ORGANISATIONS = 'cluster_organisations';
export const CLUSTER_ASSIGNMENTS = 'cluster_assignments';

/** A list row: the counts come from embedding the key columns (aggregates are off in PostgREST). */
export interface ClusterListRow extends Pick<Cluster, 'id' | 'short_name' | 'name' | 'description' | 'commissioner_id'> {
  cluster_organisations: { organisation_id: string }[] | null;
  cluster_assignments: { membership_id: string }[] | null;
}
export const CLUSTER_LIST_SELECT =
  'id,short_name,name,description,commissioner_id,cluster_organisations(organisation_id),cluster_assignments(membership_id)';

export interface ClusterDetailsValues {
  name: string;
  description?: string;
}

type Text = (key: keyof typeof dictionary & string, values?: TextValues) => string;

/** Name: required, 3–100 characters once trimmed (the database trims too). */
export function clusterNameRules(text: Text): Rule[] {
  return [
    { required: true, whitespace: true, message: text('clusters.name.required') },
    {
      validator: async (_, value: string | undefined) => {
        const n = (value ?? '').trim().length;
        if (n === 0) return; // "required" says it
        if (n < CLUSTER_NAME_MIN) throw new Error(text('clusters.name.tooShort', { min: CLUSTER_NAME_MIN }));
        if (n > CLUSTER_NAME_MAX) throw new Error(text('clusters.name.tooLong', { max: CLUSTER_NAME_MAX, n }));
      },
    },
  ];
}

/** Description: optional, at most 1000 characters once trimmed. */
export function clusterDescriptionRules(text: Text): Rule[] {
  return [
    {
      validator: async (_, value: string | undefined) => {
        const n = (value ?? '').trim().length;
        if (n > CLUSTER_DESCRIPTION_MAX) {
          throw new Error(text('clusters.description.tooLong', { max: CLUSTER_DESCRIPTION_MAX, n }));
        }
      },
    },
  ];
}

/** What create_cluster / update_cluster receive. */
export function clusterTextArguments(values: ClusterDetailsValues): { p_name: string; p_description: string } {
  return { p_name: values.name.trim(), p_description: (values.description ?? '').trim() };
}
