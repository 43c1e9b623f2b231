// Pieces shared by the two decision queues (registrations, access requests):
// the person and organisation cells, the date cell and the organisation filter.
import { useList, type CrudFilter } from '@refinedev/core';
import { Select, Space, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { formatUkDateTime } from '../../lib/dates.ts';
import { organisationLabel } from './register.tsx';
import { useText } from './text.ts';

export const NO_ORGANISATION = '__none__';

export function PersonCell({ name, email }: { name: string | null; email: string | null }) {
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text strong>{name ?? email ?? '–'}</Typography.Text>
      {name && email && <Typography.Text type="secondary">{email}</Typography.Text>}
    </Space>
  );
}

export function OrganisationCell({ name, odsCode }: { name: string | null; odsCode: string | null }) {
  const text = useText();
  if (!name) return <Typography.Text type="secondary">{text('registrations.list.noRequest')}</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text>{name}</Typography.Text>
      {odsCode && <Typography.Text type="secondary">{odsCode}</Typography.Text>}
    </Space>
  );
}

/** DD/MM/YYYY HH:mm in London time, with the machine-readable instant. */
export function DateTimeCell({ value }: { value: string | null | undefined }) {
  if (!value) return <>–</>;
  return (
    <Tooltip title="UK time">
      <time dateTime={value}>{formatUkDateTime(value)}</time>
    </Tooltip>
  );
}

interface OrganisationOption {
  organisation_id: string | null;
  ods_code: string | null;
  organisation_name: string | null;
}

/** The filter for `organisation_id` a choice of the organisation filter stands for. */
export function organisationFilter(value: string | undefined): CrudFilter[] {
  if (!value) return [];
  if (value === NO_ORGANISATION) return [{ field: 'organisation_id', operator: 'null', value: true }];
  return [{ field: 'organisation_id', operator: 'eq', value }];
}

/**
 * A select of the organisations present in the queue (the queues are short:
 * they hold only what waits for the caller), so every choice finds something.
 */
export function QueueOrganisationFilter({
  view,
  value,
  onChange,
}: {
  view: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const text = useText();
  const { result, query } = useList<OrganisationOption>({
    resource: view,
    pagination: { mode: 'off' },
    sorters: [{ field: 'organisation_name', order: 'asc' }],
    meta: { select: 'organisation_id, ods_code, organisation_name' },
  });
  const options = useMemo(() => {
    const seen = new Map<string, { value: string; label: string }>();
    for (const row of result?.data ?? []) {
      const key = row.organisation_id ?? NO_ORGANISATION;
      if (seen.has(key)) continue;
      seen.set(key, {
        value: key,
        label: row.organisation_id
          ? organisationLabel({ name: row.organisation_name, ods_code: row.ods_code })
          : text('registrations.list.noOrganisation'),
      });
    }
    return [...seen.values()];
  }, [result?.data, text]);

  const id = `${view}-organisation-filter`;
  return (
    <Space wrap>
      <label htmlFor={id}>{text('registrations.list.filterOrganisation')}</label>
      <Select<string>
        id={id}
        placeholder={text('registrations.list.allOrganisations')}
        style={{ width: 360, maxWidth: '100%' }}
        allowClear
        showSearch
        optionFilterProp="label"
        loading={query.isLoading}
        value={value}
        onChange={(next) => onChange(next ?? undefined)}
        options={options}
      />
    </Space>
  );
}
