// Choose an organisation by typing part of its ODS code or name; the server
// searches (debounced), 20 at a time; the options are ranked by how well they
// match what is typed (rankOrganisations), so the first, highlighted one is
// what Enter picks. Options read
// "ZP1001 – Riverside Medical Centre". scope "all" searches the public
// directory (organisations); "reachable" only what the caller reaches
// (my_organisations view). Works as an antd Form control (value = id).
import { useList, useOne, type CrudFilter } from '@refinedev/core';
import { Select, type SelectProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { OrganisationType } from '../providers/access.ts';

export interface OrganisationOption {
  id: string;
  ods_code: string | null;
  name: string;
  type: OrganisationType;
  parent_id?: string | null;
}

export type OrganisationScope = 'reachable' | 'all';

export interface OrganisationSelectProps {
  value?: string | null;
  onChange?: (id: string | undefined, organisation: OrganisationOption | undefined) => void;
  scope?: OrganisationScope;
  /** Only these types, e.g. ['practice'] or ['pcn']. */
  types?: readonly OrganisationType[];
  /** Organisations not to offer (e.g. ones already chosen). */
  excludeIds?: readonly string[];
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  /** Set by Form.Item so the label points at the control. */
  id?: string;
  'aria-label'?: string;
  style?: SelectProps['style'];
  status?: SelectProps['status'];
}

export const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 20;
const COLUMNS = 'id,ods_code,name,type,parent_id';

/** "ZP1001 – Riverside Medical Centre" (or the name alone when there is no ODS code). */
export function organisationLabel(organisation: Pick<OrganisationOption, 'ods_code' | 'name'>): string {
  return organisation.ods_code ? `${organisation.ods_code} – ${organisation.name}` : organisation.name;
}

/**
 * Name or ODS code contains the text (case-insensitive). Characters with a
 * meaning in PostgREST's filter syntax or in LIKE patterns are dropped.
 */
export function organisationSearchFilter(text: string): CrudFilter[] {
  const q = text.replace(/[,()"\\%*_:]/g, ' ').trim().slice(0, 100);
  if (!q) return [];
  return [
    {
      operator: 'or',
      value: [
        { field: 'ods_code', operator: 'contains', value: q },
        { field: 'name', operator: 'contains', value: q },
      ],
    },
  ];
}

/** What may come before a word in a name: "Hill Top", "Bishop's-Hill", "(Northshire)". */
const WORD_STARTS = [' ', '-', '(', '/'];

/** Normalised search text: lower case, single spaces. */
function normaliseSearch(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * How well an organisation matches the typed text, best first: 0 exact ODS
 * code, 1 code or name starts with it, 2 a word of the name starts with it,
 * 3 code or name contains it; undefined when it does not match at all.
 */
export function organisationMatchRank(organisation: Pick<OrganisationOption, 'ods_code' | 'name'>, text: string): number | undefined {
  const q = normaliseSearch(text);
  if (!q) return 3;
  const code = (organisation.ods_code ?? '').toLowerCase();
  const name = normaliseSearch(organisation.name);
  if (code === q) return 0;
  if (code.startsWith(q) || name.startsWith(q)) return 1;
  if (WORD_STARTS.some((separator) => name.includes(`${separator}${q}`))) return 2;
  if (code.includes(q) || name.includes(q)) return 3;
  return undefined;
}

/** The organisations matching the text, best match first (then by name); all of them, by name, when there is no text. */
export function rankOrganisations<T extends Pick<OrganisationOption, 'ods_code' | 'name'>>(organisations: readonly T[], text: string): T[] {
  return organisations
    .map((organisation) => ({ organisation, rank: organisationMatchRank(organisation, text) }))
    .filter((entry): entry is { organisation: T; rank: number } => entry.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.organisation.name.localeCompare(b.organisation.name, 'en-GB'))
    .map((entry) => entry.organisation);
}

function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

export function OrganisationSelect({
  value,
  onChange,
  scope = 'reachable',
  types,
  excludeIds,
  placeholder = 'Type an ODS code or name',
  disabled,
  allowClear = true,
  id,
  'aria-label': ariaLabel,
  style,
  status,
}: OrganisationSelectProps) {
  const resource = scope === 'all' ? 'organisations' : 'my_organisations';
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search, SEARCH_DEBOUNCE_MS);
  const [chosen, setChosen] = useState<OrganisationOption | undefined>();

  const filters = useMemo<CrudFilter[]>(
    () => [
      ...(types && types.length > 0 ? [{ field: 'type', operator: 'in', value: [...types] } as CrudFilter] : []),
      ...organisationSearchFilter(debouncedSearch),
    ],
    [types, debouncedSearch],
  );

  const { result, query } = useList<OrganisationOption>({
    resource,
    filters,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: PAGE_SIZE },
    meta: { select: COLUMNS },
  });

  const found = result.data;
  const known = value ? (chosen?.id === value ? chosen : found.find((row) => row.id === value)) : undefined;

  // A value set from outside (an edit form) that is not among the results: fetch it for its label.
  const { result: fetched } = useOne<OrganisationOption>({
    resource,
    id: value ?? '',
    meta: { select: COLUMNS },
    queryOptions: { enabled: Boolean(value) && !known },
  });
  const selected = known ?? (fetched && fetched.id === value ? fetched : undefined);

  const excluded = useMemo(() => new Set(excludeIds ?? []), [excludeIds]);
  const candidates = [...(selected && !found.some((row) => row.id === selected.id) ? [selected] : []), ...found].filter(
    (row) => row.id === value || !excluded.has(row.id),
  );
  // While typing, only what matches the text as typed (the server's answer may
  // still be for older text), best first: the chosen organisation no longer
  // heads the list, so Enter takes the best match, not the old choice.
  const rows = search.trim() ? rankOrganisations(candidates, search) : candidates;
  const options = rows.map((row) => ({ value: row.id, label: organisationLabel(row) }));

  const total = result.total ?? 0;
  const notFoundContent = query.isFetching
    ? 'Searching…'
    : query.isError
      ? 'Organisations could not be loaded'
      : debouncedSearch
        ? 'No organisation matches'
        : 'No organisations';

  return (
    <Select<string>
      id={id}
      aria-label={ariaLabel}
      showSearch
      value={value ?? undefined}
      placeholder={placeholder}
      disabled={disabled}
      allowClear={allowClear}
      filterOption={false}
      onSearch={setSearch}
      loading={query.isFetching}
      notFoundContent={notFoundContent}
      options={options}
      style={{ width: '100%', ...style }}
      status={status}
      popupRender={(menu) => (
        <>
          {menu}
          {total > found.length && (
            <div style={{ padding: '4px 12px', color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>
              Showing {found.length} of {total}: type more to narrow the list.
            </div>
          )}
        </>
      )}
      onChange={(next) => {
        const organisation = rows.find((row) => row.id === next);
        setChosen(organisation);
        setSearch('');
        onChange?.(next ?? undefined, organisation);
      }}
    />
  );
}
