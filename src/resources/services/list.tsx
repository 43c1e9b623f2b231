// The service catalogue of the current commissioner, one financial year at a
// time (default: the latest year that has services, else the current one),
// with kind and payment type filters. The catalogue is small (tens of
// services a year), so it is read whole and filtered here.
import { CreateButton } from '@refinedev/antd';
import { List } from '../../components/page.tsx';
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { financialYearOf, financialYearsAround } from '../../lib/financial-year.ts';
import { formatDateOnly, todayInLondon } from '../../lib/calendar-dates.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { canAccess } from '../../providers/access.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { serviceKindKey } from './labels.ts';
import { QUALITY_SERVICES, SERVICE_KINDS, type QualityService, type ServiceKind } from './model.ts';

export type ServiceListRow = Pick<
  QualityService,
  'id' | 'name' | 'kind' | 'financial_year' | 'payment_type' | 'starts_on' | 'ends_on' | 'participation_only' | 'commissioner_id'
>;
const LIST_SELECT = 'id,name,kind,financial_year,payment_type,starts_on,ends_on,participation_only,commissioner_id';

/** The years to offer, newest first: those around today and every year that has services. */
export function yearOptions(serviceYears: readonly string[], today: string): string[] {
  return [...new Set([...financialYearsAround(today, 3, 1), ...serviceYears])].sort().reverse();
}

/** The latest year that has services, else the current one. */
export function defaultYear(serviceYears: readonly string[], today: string): string {
  return [...serviceYears].sort().at(-1) ?? financialYearOf(today);
}

export function KindTag({ kind }: { kind: ServiceKind }) {
  const text = useAreaText(dictionary);
  return <Tag color={kind === 'national' ? 'blue' : 'green'}>{text(serviceKindKey(kind))}</Tag>;
}

export function ServiceList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const commissioner = context?.membership ?? null;
  const mayCreate = canAccess(context, 'services', 'create').can;
  const today = todayInLondon();
  const [chosenYear, setChosenYear] = useState<string | undefined>();
  const [kind, setKind] = useState<ServiceKind | undefined>();
  const [paymentType, setPaymentType] = useState<string | undefined>();

  const { result, query } = useList<ServiceListRow, HttpError>({
    resource: QUALITY_SERVICES,
    filters: [{ field: 'commissioner_id', operator: 'eq', value: commissioner?.organisation_id ?? null }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { mode: 'off' },
    meta: { select: LIST_SELECT },
    errorNotification: false,
    queryOptions: { enabled: !!commissioner },
  });
  const services = result.data;
  const serviceYears = useMemo(() => [...new Set(services.map((s) => s.financial_year))], [services]);
  const year = chosenYear ?? defaultYear(serviceYears, today);
  const inYear = useMemo(() => services.filter((s) => s.financial_year === year), [services, year]);
  const paymentTypes = useMemo(() => [...new Set(inYear.map((s) => s.payment_type))].sort(), [inYear]);
  const rows = inYear.filter((s) => (!kind || s.kind === kind) && (!paymentType || s.payment_type === paymentType));

  if (!commissioner) {
    return (
      <List title={text('services.titles.list')}>
        <Alert type="warning" showIcon message={text('services.list.noCommissioner')} />
      </List>
    );
  }

  return (
    <List
      title={text('services.titles.list')}
      headerButtons={() => (mayCreate ? <CreateButton resource="services">{text('services.titles.create')}</CreateButton> : null)}
    >
      <Typography.Paragraph type="secondary">{text('services.list.intro', { commissioner: commissioner.name })}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={text('services.fields.financialYear')}
          value={year}
          style={{ width: 140 }}
          options={yearOptions(serviceYears, today).map((y) => ({ value: y, label: y }))}
          onChange={(value: string) => {
            setChosenYear(value);
            setPaymentType(undefined);
          }}
        />
        <Select<ServiceKind>
          aria-label={text('services.fields.kind')}
          allowClear
          placeholder={text('services.list.allKinds')}
          value={kind}
          style={{ width: 240 }}
          options={SERVICE_KINDS.map((k) => ({ value: k, label: text(serviceKindKey(k)) }))}
          onChange={(value) => setKind(value ?? undefined)}
        />
        <Select<string>
          aria-label={text('services.fields.paymentType')}
          allowClear
          placeholder={text('services.list.allPaymentTypes')}
          value={paymentType}
          style={{ width: 260 }}
          options={paymentTypes.map((p) => ({ value: p, label: p }))}
          onChange={(value) => setPaymentType(value ?? undefined)}
        />
      </Space>

      {query.isError && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('services.list.loadError')} description={query.error?.message} />
      )}

      <Table<ServiceListRow>
        dataSource={rows}
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                query.isError
                  ? text('services.list.loadError')
                  : kind || paymentType
                    ? text('services.list.noMatch', { year })
                    : text('services.list.empty', { year })
              }
            />
          ),
        }}
      >
        <Table.Column<ServiceListRow>
          title={text('services.fields.name')}
          dataIndex="name"
          render={(value: string, row) => <Link to={path(`/services/${row.id}`)}>{value}</Link>}
        />
        <Table.Column<ServiceListRow> title={text('services.fields.kind')} width={220} render={(_, row) => <KindTag kind={row.kind} />} />
        <Table.Column<ServiceListRow> title={text('services.fields.paymentType')} dataIndex="payment_type" width={230} />
        <Table.Column<ServiceListRow>
          title={text('services.fields.dates')}
          width={220}
          render={(_, row) => `${formatDateOnly(row.starts_on)} – ${formatDateOnly(row.ends_on)}`}
        />
      </Table>
    </List>
  );
}
