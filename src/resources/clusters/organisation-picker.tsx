// Choosing a cluster's organisations: the commissioner's providers (PCNs,
// practices, other providers below it, from `my_organisations`) in a table
// with a search by ODS code or name, tick boxes and "Select all" for every
// provider the search shows (on all pages, not only the visible one).
import { Alert, Button, Empty, Input, Space, Table, Typography, type CheckboxProps, type GetRef } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { OrganisationTypeTag } from '../organisations/list.tsx';
import { isProviderType } from '../organisations/organisation-types.ts';
import { useReachableOrganisations } from '../organisations/reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import { compareOrganisations, descendantsOf, normaliseSearch, type ReachableOrganisation } from '../organisations/tree.ts';
import dictionary from './i18n.ts';

export interface ProviderCandidate extends ReachableOrganisation {
  /** The organisation directly above, when you reach it (e.g. the sub-ICB location). */
  parentName: string | null;
}

const NONE: readonly string[] = [];

export interface ProviderCandidateOptions {
  /**
   * A person assigned to clusters reaches the clustered providers, not their
   * commissioner: `true` then offers every provider they reach (the database
   * still checks each one is below the commissioner). Default: none.
   */
  reachedProvidersWhenCommissionerUnreached?: boolean;
}

/** Providers below the commissioner that you reach, minus `exclude` (already in the cluster). */
export function useProviderCandidates(
  commissionerId: string | null,
  exclude: readonly string[] = NONE,
  { reachedProvidersWhenCommissionerUnreached = false }: ProviderCandidateOptions = {},
) {
  const { organisations, isLoading, error, refetch } = useReachableOrganisations();
  const excluded = useMemo(() => new Set(exclude), [exclude]);
  const candidates = useMemo<ProviderCandidate[] | undefined>(() => {
    if (!organisations || !commissionerId) return undefined;
    const byId = new Map(organisations.map((row) => [row.id, row]));
    const below =
      reachedProvidersWhenCommissionerUnreached && !byId.has(commissionerId) ? organisations : descendantsOf(organisations, commissionerId);
    return below
      .filter((row) => isProviderType(row.type) && !excluded.has(row.id))
      .sort(compareOrganisations)
      .map((row) => ({ ...row, parentName: row.parent_id ? (byId.get(row.parent_id)?.name ?? null) : null }));
  }, [organisations, commissionerId, excluded, reachedProvidersWhenCommissionerUnreached]);
  return { candidates, isLoading, error, refetch };
}

export function matchesSearch(row: ReachableOrganisation, query: string): boolean {
  const q = query.toLowerCase();
  return !q || row.ods_code.toLowerCase().includes(q) || row.name.toLowerCase().includes(q);
}

export interface OrganisationPickerProps {
  candidates: ProviderCandidate[] | undefined;
  loading: boolean;
  error?: { message?: string } | null | undefined;
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  /** Focus the search box when the picker appears (a wizard step). */
  autoFocusSearch?: boolean;
}

export function OrganisationPicker({ candidates, loading, error, selected, onChange, autoFocusSearch = false }: OrganisationPickerProps) {
  const text = useAreaText(dictionary);
  const [search, setSearch] = useState('');
  const searchBox = useRef<GetRef<typeof Input.Search>>(null);
  const query = normaliseSearch(search);
  const rows = useMemo(() => (candidates ?? []).filter((row) => matchesSearch(row, query)), [candidates, query]);
  const selectedSet = new Set(selected);
  const allShownSelected = rows.length > 0 && rows.every((row) => selectedSet.has(row.id));

  // "Select all" and "Clear selection" disable themselves once done, which drops the
  // keyboard focus: it goes to the search, where the next search starts.
  const selectAllShown = () => {
    const next = new Set(selected);
    for (const row of rows) next.add(row.id);
    onChange([...next]);
    searchBox.current?.focus();
  };
  const clearSelection = () => {
    onChange([]);
    searchBox.current?.focus();
  };

  if (error) {
    return <Alert type="error" showIcon message={text('clusters.picker.loadError')} description={error.message} />;
  }

  return (
    <div>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Input.Search
          ref={searchBox}
          autoFocus={autoFocusSearch}
          aria-label={text('clusters.picker.search')}
          placeholder={text('clusters.picker.placeholder')}
          allowClear
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={setSearch}
          style={{ width: 360, maxWidth: '100%' }}
        />
        <Space wrap>
          <Typography.Text role="status" aria-live="polite">
            {text(selected.length === 1 ? 'clusters.picker.selectedOne' : 'clusters.picker.selected', { n: selected.length })}
          </Typography.Text>
          <Button
            onClick={selectAllShown}
            disabled={rows.length === 0 || allShownSelected}
            aria-label={text('clusters.picker.selectAllLabel', { n: rows.length })}
          >
            {text('clusters.picker.selectAll', { n: rows.length })}
          </Button>
          <Button onClick={clearSelection} disabled={selected.length === 0}>
            {text('clusters.picker.clear')}
          </Button>
        </Space>
      </Space>
      <Table<ProviderCandidate>
        dataSource={rows}
        rowKey="id"
        size="small"
        loading={loading ? { spinning: true, tip: text('clusters.picker.loading') } : false}
        rowSelection={{
          selectedRowKeys: [...selected],
          preserveSelectedRowKeys: true,
          onChange: (keys) => onChange(keys.map(String)),
          // antd passes these on to the <input>, so each box is named for screen readers.
          getTitleCheckboxProps: () => ({ 'aria-label': text('clusters.picker.selectAllLabel', { n: rows.length }) }) as CheckboxProps,
          getCheckboxProps: (row) => ({ 'aria-label': `${row.name} (${row.ods_code})` }) as CheckboxProps,
        }}
        pagination={{
          defaultPageSize: 10,
          showSizeChanger: true,
          pageSizeOptions: [10, 25, 50, 100],
          hideOnSinglePage: false,
          showTotal: (total, [from, to]) => text('clusters.picker.total', { from, to, total }),
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={query ? text('clusters.picker.noMatch') : text('clusters.picker.empty')}
            />
          ),
        }}
      >
        <Table.Column<ProviderCandidate>
          title={text('clusters.fields.odsCode')}
          dataIndex="ods_code"
          width={120}
          render={(value: string) => <Typography.Text strong>{value}</Typography.Text>}
        />
        <Table.Column<ProviderCandidate> title={text('clusters.fields.name')} dataIndex="name" />
        <Table.Column<ProviderCandidate>
          title={text('clusters.fields.type')}
          dataIndex="type"
          width={150}
          render={(value: ProviderCandidate['type']) => <OrganisationTypeTag type={value} />}
        />
        <Table.Column<ProviderCandidate>
          title={text('clusters.fields.within')}
          dataIndex="parentName"
          render={(value: string | null) => value ?? '–'}
        />
      </Table>
    </div>
  );
}
