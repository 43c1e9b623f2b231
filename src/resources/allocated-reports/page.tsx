// Allocated reports: an Organisation Administrator picks an organisation below
// the commissioner (search), ticks the commissioner's quality services it may
// report on (filter by financial year and payment type, Select All) and
// unticks those it may no longer; saving sends both lists to
// set_allocated_reports, which checks who may and what fits.
import { List } from '../../components/page.tsx';
import { useInvalidate, useList, useNotification, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Checkbox, Col, Empty, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { callRpc } from '../../components/rpc.ts';
import { todayInLondon } from '../../lib/calendar-dates.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { OrganisationTypeTag } from '../organisations/list.tsx';
import { useReachableOrganisations } from '../organisations/reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import { descendantsOf, normaliseSearch, type ReachableOrganisation } from '../organisations/tree.ts';
import { defaultYear, yearOptions } from '../services/list.tsx';
import type { QualityService } from '../services/model.ts';
import dictionary from './i18n.ts';

export const ALLOCATED_REPORTS = 'allocated_reports';

/** Read by screen readers, not shown (the column of Choose buttons needs a header name). */
const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

type ServiceRow = Pick<QualityService, 'id' | 'name' | 'kind' | 'financial_year' | 'payment_type'>;
interface AllocationRow {
  organisation_id: string;
  service_id: string;
  allocated_at: string;
}

/** What saving sends: ticked but not allocated, allocated but unticked. */
export function allocationChanges(current: ReadonlySet<string>, ticked: ReadonlySet<string>): { allocate: string[]; unallocate: string[] } {
  return {
    allocate: [...ticked].filter((id) => !current.has(id)).sort(),
    unallocate: [...current].filter((id) => !ticked.has(id)).sort(),
  };
}

function matchesSearch(organisation: ReachableOrganisation, search: string): boolean {
  if (!search) return true;
  return `${organisation.ods_code} ${organisation.name}`.toLowerCase().includes(search);
}

export function AllocatedReports() {
  const text = useAreaText(dictionary);
  const context = useCurrentContext();
  const commissioner = context?.membership ?? null;
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const today = todayInLondon();
  const [search, setSearch] = useState('');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [chosenYear, setChosenYear] = useState<string | undefined>();
  const [paymentType, setPaymentType] = useState<string | undefined>();
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ErrorDetails | null>(null);

  const reach = useReachableOrganisations();
  const descendants = useMemo(
    () =>
      commissioner && reach.organisations
        ? descendantsOf(reach.organisations, commissioner.organisation_id).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
        : [],
    [reach.organisations, commissioner],
  );
  const searchText = normaliseSearch(search).toLowerCase();
  const shownOrganisations = descendants.filter((o) => matchesSearch(o, searchText));
  const chosen = descendants.find((o) => o.id === chosenId) ?? null;

  const services = useList<ServiceRow, HttpError>({
    resource: 'quality_services',
    filters: [{ field: 'commissioner_id', operator: 'eq', value: commissioner?.organisation_id ?? null }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { mode: 'off' },
    meta: { select: 'id,name,kind,financial_year,payment_type' },
    errorNotification: false,
    queryOptions: { enabled: !!commissioner },
  });
  const allocations = useList<AllocationRow, HttpError>({
    resource: ALLOCATED_REPORTS,
    filters: [{ field: 'organisation_id', operator: 'eq', value: chosenId }],
    pagination: { mode: 'off' },
    meta: { select: 'organisation_id,service_id,allocated_at' },
    errorNotification: false,
    queryOptions: { enabled: !!chosenId },
  });

  const allServices = services.result.data;
  const serviceYears = useMemo(() => [...new Set(allServices.map((s) => s.financial_year))], [allServices]);
  const year = chosenYear ?? defaultYear(serviceYears, today);
  const inYear = allServices.filter((s) => s.financial_year === year);
  const paymentTypes = [...new Set(inYear.map((s) => s.payment_type))].sort();
  const shownServices = inYear.filter((s) => !paymentType || s.payment_type === paymentType);
  // Only allocations of this commissioner's services: others (an ancestor's) are not this page's to change.
  const ownServiceIds = useMemo(() => new Set(allServices.map((s) => s.id)), [allServices]);
  const current = useMemo(
    () => new Set(allocations.result.data.map((a) => a.service_id).filter((id) => ownServiceIds.has(id))),
    [allocations.result.data, ownServiceIds],
  );
  const allocationsReady = !!chosenId && allocations.query.isSuccess && !allocations.query.isFetching;

  // The ticks start from what is allocated, each time an organisation is chosen or its allocations change.
  // (Keyed by the ids, not the Set, so a new but equal answer does not undo ticks.)
  const currentKey = [...current].sort().join(',');
  useEffect(() => {
    if (allocationsReady) setTicked(new Set(currentKey ? currentKey.split(',') : []));
  }, [allocationsReady, currentKey]);

  const changes = allocationChanges(current, ticked);
  const names = new Map(allServices.map((s) => [s.id, `${s.name} (${s.financial_year})`]));

  const choose = (id: string) => {
    setChosenId(id);
    setTicked(new Set());
    setFailure(null);
  };

  const toggle = (id: string, on: boolean) =>
    setTicked((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const setAllShown = (on: boolean) =>
    setTicked((before) => {
      const next = new Set(before);
      for (const s of shownServices) {
        if (on) next.add(s.id);
        else next.delete(s.id);
      }
      return next;
    });

  const save = async () => {
    if (!chosen) return;
    const confirmed = await confirm({
      title: text('allocated-reports.saveTitle', { name: chosen.name }),
      content: text('allocated-reports.saveContent', {
        name: chosen.name,
        add: changes.allocate.length,
        remove: changes.unallocate.length,
        names: [...changes.allocate.map((id) => `+ ${names.get(id)}`), ...changes.unallocate.map((id) => `− ${names.get(id)}`)].join('; '),
      }),
      okText: text('allocated-reports.save'),
      danger: changes.unallocate.length > 0,
    });
    if (!confirmed) return;
    setSaving(true);
    setFailure(null);
    try {
      const after = await callRpc<string[] | null>('set_allocated_reports', {
        p_organisation_id: chosen.id,
        p_allocate: changes.allocate,
        p_unallocate: changes.unallocate,
      });
      const n = (after ?? []).length;
      notify?.({ type: 'success', message: text(n === 1 ? 'allocated-reports.savedOne' : 'allocated-reports.saved', { name: chosen.name, n }) });
      await invalidate({ resource: ALLOCATED_REPORTS, invalidates: ['list'] });
    } catch (error) {
      setFailure(errorDetails(error));
    } finally {
      setSaving(false);
    }
  };

  if (!commissioner) {
    return (
      <List title={text('allocated-reports.titles.list')}>
        <Alert type="warning" showIcon message={text('allocated-reports.noCommissioner')} />
      </List>
    );
  }

  const shownTicked = shownServices.filter((s) => ticked.has(s.id)).length;

  return (
    <List title={text('allocated-reports.titles.list')}>
      <Typography.Paragraph type="secondary">{text('allocated-reports.intro', { commissioner: commissioner.name })}</Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text('allocated-reports.organisations')}</Typography.Title>}>
            <Input.Search
              aria-label={text('allocated-reports.search')}
              placeholder={text('allocated-reports.search')}
              allowClear
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              style={{ marginBottom: 12 }}
            />
            {reach.error ? (
              <Alert type="error" showIcon message={text('allocated-reports.organisationsError')} description={reach.error.message} />
            ) : (
              <Table<ReachableOrganisation>
                dataSource={shownOrganisations}
                rowKey="id"
                size="small"
                loading={reach.isLoading}
                pagination={shownOrganisations.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                rowClassName={(row) => (row.id === chosenId ? 'ant-table-row-selected' : '')}
                locale={{
                  emptyText: (
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description={searchText ? text('allocated-reports.noMatch') : text('allocated-reports.organisationsEmpty', { commissioner: commissioner.name })}
                    />
                  ),
                }}
              >
                <Table.Column<ReachableOrganisation> title={text('allocated-reports.fields.ods')} dataIndex="ods_code" width={90} />
                <Table.Column<ReachableOrganisation>
                  title={text('allocated-reports.fields.name')}
                  render={(_, row) => (
                    <>
                      <div>{row.name}</div>
                      <OrganisationTypeTag type={row.type} />
                    </>
                  )}
                />
                <Table.Column<ReachableOrganisation>
                  title={<span style={VISUALLY_HIDDEN}>{text('allocated-reports.pick')}</span>}
                  width={90}
                  render={(_, row) =>
                    row.id === chosenId ? (
                      <Tag color="blue">{text('allocated-reports.chosen')}</Tag>
                    ) : (
                      <Button size="small" aria-label={text('allocated-reports.pickLabel', { name: row.name })} onClick={() => choose(row.id)}>
                        {text('allocated-reports.pick')}
                      </Button>
                    )
                  }
                />
              </Table>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {!chosen ? (
            <Card size="small">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('allocated-reports.choose')} />
            </Card>
          ) : (
            <Card
              size="small"
              title={
                <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                  {text('allocated-reports.servicesFor', { name: chosen.name, ods: chosen.ods_code })}
                </Typography.Title>
              }
            >
              {failure && (
                <Alert
                  type="error"
                  showIcon
                  role="alert"
                  style={{ marginBottom: 12 }}
                  message={text('allocated-reports.saveFailed')}
                  description={[failure.message, failure.hint].filter(Boolean).join(' ')}
                />
              )}
              {allocations.query.isError ? (
                <Alert type="error" showIcon message={text('allocated-reports.allocationsError')} description={allocations.query.error?.message} />
              ) : (
                <div style={{ marginBottom: 12 }}>
                  <Typography.Text strong>{text('allocated-reports.current')}: </Typography.Text>
                  {current.size === 0 ? (
                    <Typography.Text type="secondary">{text('allocated-reports.none')}</Typography.Text>
                  ) : (
                    <Space size={4} wrap>
                      {[...current].map((id) => (
                        <Tag key={id} color="green">
                          {names.get(id) ?? id}
                        </Tag>
                      ))}
                    </Space>
                  )}
                </div>
              )}
              <Space wrap style={{ marginBottom: 12 }}>
                <Select
                  aria-label={text('allocated-reports.fields.financialYear')}
                  value={year}
                  style={{ width: 130 }}
                  options={yearOptions(serviceYears, today).map((y) => ({ value: y, label: y }))}
                  onChange={(value: string) => {
                    setChosenYear(value);
                    setPaymentType(undefined);
                  }}
                />
                <Select<string>
                  aria-label={text('allocated-reports.fields.paymentType')}
                  allowClear
                  placeholder={text('allocated-reports.allPaymentTypes')}
                  value={paymentType}
                  style={{ width: 260 }}
                  options={paymentTypes.map((p) => ({ value: p, label: p }))}
                  onChange={(value) => setPaymentType(value ?? undefined)}
                />
              </Space>
              <Space wrap style={{ marginBottom: 12, display: 'flex' }}>
                <Button disabled={!allocationsReady || shownServices.length === 0 || shownTicked === shownServices.length} onClick={() => setAllShown(true)}>
                  {text('allocated-reports.selectAll', { n: shownServices.length })}
                </Button>
                <Button disabled={!allocationsReady || shownTicked === 0} onClick={() => setAllShown(false)}>
                  {text('allocated-reports.clearAll', { n: shownServices.length })}
                </Button>
              </Space>
              {services.query.isError ? (
                <Alert type="error" showIcon message={text('allocated-reports.servicesError')} description={services.query.error?.message} />
              ) : (
                <Table<ServiceRow>
                  dataSource={shownServices}
                  rowKey="id"
                  size="small"
                  loading={services.query.isLoading || (!!chosenId && allocations.query.isLoading)}
                  pagination={false}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('allocated-reports.servicesEmpty', { year })} /> }}
                >
                  <Table.Column<ServiceRow>
                    title={text('allocated-reports.fields.allocated')}
                    width={100}
                    render={(_, row) => (
                      <Checkbox
                        checked={ticked.has(row.id)}
                        disabled={!allocationsReady}
                        aria-label={text('allocated-reports.tick', { name: row.name })}
                        onChange={(event) => toggle(row.id, event.target.checked)}
                      />
                    )}
                  />
                  <Table.Column<ServiceRow> title={text('allocated-reports.fields.service')} dataIndex="name" />
                  <Table.Column<ServiceRow> title={text('allocated-reports.fields.paymentType')} dataIndex="payment_type" width={200} />
                </Table>
              )}
              <Space style={{ marginTop: 16 }} wrap>
                <Button
                  type="primary"
                  loading={saving}
                  disabled={!allocationsReady || (changes.allocate.length === 0 && changes.unallocate.length === 0)}
                  onClick={() => void save()}
                >
                  {text('allocated-reports.save')}
                </Button>
                <Typography.Text type="secondary" role="status">
                  {changes.allocate.length === 0 && changes.unallocate.length === 0
                    ? text('allocated-reports.noChanges')
                    : text('allocated-reports.changes', { add: changes.allocate.length, remove: changes.unallocate.length })}
                </Typography.Text>
              </Space>
            </Card>
          )}
        </Col>
      </Row>
    </List>
  );
}
