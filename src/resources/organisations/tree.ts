// The organisation tree of what a person reaches, built in the browser from
// the flat rows of `my_organisations` (id + parent_id). Pure functions: the
// tree browser, the organisation picker of clusters and their tests use them.
import { organisationTypeRank, type OrganisationType } from './organisation-types.ts';

/** The columns of `my_organisations` the tree needs. */
export interface ReachableOrganisation {
  id: string;
  ods_code: string;
  name: string;
  type: OrganisationType;
  parent_id: string | null;
}

export interface OrganisationNode extends ReachableOrganisation {
  /** Absent on leaves, so tables show no expand button there. */
  children?: OrganisationNode[];
}

export interface OrganisationMatch {
  organisation: ReachableOrganisation;
  /** Ancestors within reach, top first (the organisation itself excluded). */
  path: ReachableOrganisation[];
}

/** Commissioners before PCNs before practices; then by name, then ODS code. */
export function compareOrganisations(a: ReachableOrganisation, b: ReachableOrganisation): number {
  return (
    organisationTypeRank(a.type) - organisationTypeRank(b.type) ||
    a.name.localeCompare(b.name, 'en-GB') ||
    a.ods_code.localeCompare(b.ods_code, 'en-GB')
  );
}

/**
 * The forest of the rows: a row whose parent is not among them is a root (the
 * top of the person's reach, e.g. their ICB, or the practices of their
 * clusters). Children are sorted with compareOrganisations.
 */
export function buildOrganisationTree(rows: readonly ReachableOrganisation[]): OrganisationNode[] {
  const nodes = new Map<string, OrganisationNode>();
  for (const row of rows) nodes.set(row.id, { ...row });
  const roots: OrganisationNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    if (parent && parent !== node) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  const sortLevel = (level: OrganisationNode[]) => {
    level.sort(compareOrganisations);
    for (const node of level) if (node.children) sortLevel(node.children);
  };
  sortLevel(roots);
  return roots;
}

/** Ancestors of `id` among the rows, top first. Stops at a cycle rather than looping. */
export function pathOf(id: string, byId: ReadonlyMap<string, ReachableOrganisation>): ReachableOrganisation[] {
  const path: ReachableOrganisation[] = [];
  const seen = new Set<string>([id]);
  let parentId = byId.get(id)?.parent_id ?? null;
  while (parentId && !seen.has(parentId)) {
    const parent = byId.get(parentId);
    if (!parent) break;
    path.unshift(parent);
    seen.add(parentId);
    parentId = parent.parent_id;
  }
  return path;
}

/** Cleans search text: trimmed, at most 100 characters. */
export function normaliseSearch(text: string | null | undefined): string {
  return (text ?? '').trim().slice(0, 100);
}

/**
 * Organisations whose ODS code or name contains the text (any letter case),
 * each with its path. An exact ODS code comes first, then codes that start
 * with the text, then the rest by name.
 */
export function searchOrganisations(rows: readonly ReachableOrganisation[], text: string, limit = 200): OrganisationMatch[] {
  const q = normaliseSearch(text).toLowerCase();
  if (!q) return [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const rank = (row: ReachableOrganisation) => {
    const code = row.ods_code.toLowerCase();
    if (code === q) return 0;
    if (code.startsWith(q)) return 1;
    return 2;
  };
  return rows
    .filter((row) => row.ods_code.toLowerCase().includes(q) || row.name.toLowerCase().includes(q))
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'en-GB'))
    .slice(0, limit)
    .map((organisation) => ({ organisation, path: pathOf(organisation.id, byId) }));
}

/** The rows below `ancestorId` (not including it), following parent_id within the rows. */
export function descendantsOf(rows: readonly ReachableOrganisation[], ancestorId: string): ReachableOrganisation[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return rows.filter((row) => row.id !== ancestorId && pathOf(row.id, byId).some((a) => a.id === ancestorId));
}

/** Every id of a forest (for "expand all"). */
export function allNodeIds(nodes: readonly OrganisationNode[]): string[] {
  const ids: string[] = [];
  const walk = (level: readonly OrganisationNode[]) => {
    for (const node of level) {
      if (node.children) {
        ids.push(node.id);
        walk(node.children);
      }
    }
  };
  walk(nodes);
  return ids;
}

/** A row of `current_pcn_memberships`: the PCN a practice belongs to today. */
export interface CurrentPcn {
  practice_id: string;
  pcn_id: string;
  pcn_ods_code: string;
  pcn_name: string;
  valid_from: string;
}

/** The rows by practice id (a practice has at most one PCN on a day). */
export function currentPcnByPractice(rows: readonly CurrentPcn[]): Map<string, CurrentPcn> {
  return new Map(rows.map((row) => [row.practice_id, row]));
}
