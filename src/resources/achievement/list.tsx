// Record Achievement (/:org/achievement; Data Submission tab): the job aid's
// "Record Achievement screen". Filters Financial Year and Quality Service (the
// national services the practice has an approved offer of; a commissioner
// chooses the practice first), then the service's achievement dates, payment
// dates highlighted, each with its achievement's state and "submitted n of m"
// per indicator group (view achievement_missing_data), Open, or Add New
// Achievement (public.start_achievement) for a date that has none.
import { CanAccess, useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { describeRpcError } from '../../components/rpc.ts';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { useRowsOf } from '../claims/data.ts';
import { startAchievement } from './api.ts';
import dictionary from './i18n.ts';
import {
  ACHIEVEMENT_SELECT,
  DATE_SELECT,
  groupCounts,
  MISSING_DATA,
  nationalServices,
  OFFER_SELECT,
  offerProviders,
  type Achievement,
  type AchievementDate,
  type ApprovedOffer,
  type MissingDataRow,
  type NationalService,
} from './model.ts';
import { AchievementStateTags, PaymentDateTag } from './status.tsx';

/** antd's gold-1: a payment date's row (the job aid: "highlighted yellow"); dark text keeps its contrast. */
export const PAYMENT_DATE_ROW = { background: '#fffbe6' } as const;

/** The approved offers the page chooses from: the practice's own, or every practice's the commissioner reaches. */
export function useApprovedOffers(providerId: string | null, commissioner: boolean, enabled: boolean) {
  const { result, query } = useList<ApprovedOffer, HttpError>({
    resource: 'service_offers',
    pagination: { mode: 'off' },
    filters: [{ field: 'status', operator: 'eq', value: 'approved' }, ...(commissioner ? [] : [{ field: 'provider_id', operator: 'eq' as const, value: providerId ?? '' }])],
    meta: { select: OFFER_SELECT },
    queryOptions: { enabled },
    errorNotification: false,
  });
  return { offers: query.isSuccess ? result.data : [], isLoading: enabled && query.isLoading, error: query.error ?? null, refetch: () => query.refetch() };
}

/**
 * The filters every achievement page shares, kept in the address (?practice=&year=&service=): a
 * commissioner's practice (providers see their own), the financial year and the national service.
 */
export function useAchievementFilters() {
  const context = useCurrentContext();
  const organisationId = context?.membership?.organisation_id ?? null;
  const commissioner = context?.membership?.side === 'commissioner';
  const [params, setParams] = useSearchParams();
  const { offers, isLoading, error, refetch } = useApprovedOffers(organisationId, commissioner, Boolean(organisationId));
  const providers = useMemo(() => (commissioner ? offerProviders(offers) : []), [commissioner, offers]);
  const wantedPractice = params.get('practice');
  const providerId = commissioner ? (providers.find((p) => p.id === wantedPractice)?.id ?? null) : organisationId;
  const services = useMemo(() => (providerId ? nationalServices(offers, providerId) : []), [offers, providerId]);
  const years = useMemo(() => [...new Set(services.map((s) => s.financial_year))].sort().reverse(), [services]);
  const wantedYear = params.get('year');
  const year = wantedYear && years.includes(wantedYear) ? wantedYear : (years[0] ?? null);
  const inYear = services.filter((s) => s.financial_year === year);
  const wantedService = params.get('service');
  const service: NationalService | undefined = inYear.find((s) => s.id === wantedService) ?? inYear[0];

  const set = (changes: Record<string, string | null>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );

  return { context, commissioner, providers, providerId, services, years, year, inYear, service, isLoading, error, refetch, set, params };
}

export type AchievementFilters = ReturnType<typeof useAchievementFilters>;

/** Practice (commissioners), Financial Year and Quality Service, wrapping on small screens. */
export function FilterBar({ filters, idPrefix }: { filters: AchievementFilters; idPrefix: string }) {
  const text = useAreaText(dictionary);
  const { commissioner, providers, providerId, years, year, inYear, service, set } = filters;
  return (
    <Space wrap size={[24, 12]} style={{ marginBottom: 16, width: '100%' }} align="center">
      {commissioner && (
        <Space wrap size={[8, 4]}>
          <Typography.Text id={`${idPrefix}-practice-label`}>{text('achievement.fields.practice')}</Typography.Text>
          <Select
            aria-labelledby={`${idPrefix}-practice-label`}
            showSearch
            optionFilterProp="label"
            placeholder={text('achievement.list.choosePractice')}
            value={providerId ?? undefined}
            onChange={(value: string) => set({ practice: value, service: null })}
            style={{ width: 320, maxWidth: '100%' }}
            options={providers.map((p) => ({ value: p.id, label: `${p.ods_code} – ${p.name}` }))}
          />
        </Space>
      )}
      <Space wrap size={[8, 4]}>
        <Typography.Text id={`${idPrefix}-year-label`}>{text('achievement.fields.year')}</Typography.Text>
        <Select
          aria-labelledby={`${idPrefix}-year-label`}
          value={year ?? undefined}
          disabled={years.length === 0}
          onChange={(value: string) => set({ year: value, service: null })}
          style={{ width: 130 }}
          options={years.map((y) => ({ value: y, label: y }))}
        />
      </Space>
      <Space wrap size={[8, 4]} style={{ maxWidth: '100%' }}>
        <Typography.Text id={`${idPrefix}-service-label`}>{text('achievement.fields.service')}</Typography.Text>
        <Select
          aria-labelledby={`${idPrefix}-service-label`}
          value={service?.id}
          disabled={inYear.length === 0}
          onChange={(value: string) => set({ service: value })}
          style={{ width: 340, maxWidth: '100%' }}
          options={inYear.map((s) => ({ value: s.id, label: s.name }))}
        />
      </Space>
    </Space>
  );
}

export function RecordAchievementList() {
  const text = useAreaText(dictionary);
  const filters = useAchievementFilters();
  const { commissioner, providerId, services, service, year, isLoading, error, refetch } = filters;

  let body;
  if (error) {
    body = (
      <Alert
        type="error"
        showIcon
        message={text('achievement.list.loadError')}
        description={error.message}
        action={<Button onClick={() => void refetch()}>{text('achievement.list.retry')}</Button>}
      />
    );
  } else if (isLoading || !filters.context) {
    body = <Card loading aria-busy="true" />;
  } else if (filters.context.membership?.type === 'pcn') {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.list.pcn')} />;
  } else if (!providerId) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.list.choosePracticeFirst')} />;
  } else if (services.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.list.noServices')} />;
  } else if (!service) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.list.noServicesInYear', { year: year ?? '' })} />;
  } else {
    body = <AchievementDates providerId={providerId} service={service} practiceParam={commissioner ? providerId : null} />;
  }

  return (
    <List title={text('achievement.titles.list')}>
      <Typography.Paragraph>{commissioner ? text('achievement.list.introCommissioner') : text('achievement.list.intro')}</Typography.Paragraph>
      <FilterBar filters={filters} idPrefix="record-achievement" />
      {body}
    </List>
  );
}

interface DateRow {
  date: AchievementDate;
  achievement: Achievement | undefined;
  groups: ReturnType<typeof groupCounts>;
}

function AchievementDates({ providerId, service, practiceParam }: { providerId: string; service: NationalService; practiceParam: string | null }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const dates = useRowsOf<AchievementDate>('achievement_dates', 'service_id', service.id, DATE_SELECT, 'achievement_date');
  const achievements = useList<Achievement, HttpError>({
    resource: 'achievements',
    pagination: { mode: 'off' },
    filters: [
      { field: 'provider_id', operator: 'eq', value: providerId },
      { field: 'service_id', operator: 'eq', value: service.id },
    ],
    meta: { select: ACHIEVEMENT_SELECT },
    errorNotification: false,
  });
  const missing = useList<MissingDataRow, HttpError>({
    resource: MISSING_DATA,
    pagination: { mode: 'off' },
    filters: [
      { field: 'provider_id', operator: 'eq', value: providerId },
      { field: 'service_id', operator: 'eq', value: service.id },
    ],
    errorNotification: false,
  });
  const [adding, setAdding] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string } | null>(null);

  const rows: DateRow[] = useMemo(() => {
    const found = achievements.query.isSuccess ? achievements.result.data : [];
    const counts = missing.query.isSuccess ? missing.result.data : [];
    return [...(dates.rows ?? [])]
      .sort((a, b) => a.achievement_date.localeCompare(b.achievement_date))
      .map((date) => ({
        date,
        achievement: found.find((a) => a.achievement_date === date.achievement_date),
        groups: groupCounts(counts.filter((row) => row.achievement_date === date.achievement_date)),
      }));
  }, [dates.rows, achievements.query.isSuccess, achievements.result.data, missing.query.isSuccess, missing.result.data]);

  const suffix = practiceParam ? `?practice=${encodeURIComponent(practiceParam)}` : '';
  const open = (id: string) => path(`/achievement/${id}${suffix}`);

  async function add(date: string) {
    setAdding(date);
    setFailure(null);
    try {
      const started = await startAchievement(providerId, service.id, date);
      void navigate(open(started.id));
    } catch (error) {
      const problem = describeRpcError(error);
      setFailure({ message: text('achievement.list.addFailed'), description: problem.description || problem.message });
      await achievements.query.refetch();
    } finally {
      setAdding(null);
    }
  }

  const loadError = dates.error ?? achievements.query.error ?? null;
  if (loadError) {
    return (
      <Alert
        type="error"
        showIcon
        message={text('achievement.list.loadError')}
        description={loadError.message}
        action={<Button onClick={() => void Promise.all([dates.refetch(), achievements.query.refetch(), missing.query.refetch()])}>{text('achievement.list.retry')}</Button>}
      />
    );
  }

  const label = text('achievement.list.datesLabel', { service: service.name });
  return (
    <Card
      size="small"
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {text('achievement.list.datesTitle')}
        </Typography.Title>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {text('achievement.list.paymentDateHelp')}
      </Typography.Paragraph>
      {failure && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} message={failure.message} description={failure.description} />}
      <Table<DateRow>
        dataSource={rows}
        rowKey={(row) => row.date.achievement_date}
        size="small"
        loading={dates.isLoading || achievements.query.isLoading}
        aria-label={label}
        scroll={TABLE_SCROLL}
        pagination={false}
        onRow={(row) => (row.date.is_payment_date ? { style: PAYMENT_DATE_ROW, 'data-payment-date': 'true' } : {}) as object}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.list.noDates')} /> }}
      >
        <Table.Column<DateRow>
          title={text('achievement.fields.date')}
          key="date"
          {...KEY_COLUMN}
          width={150}
          // The fixed column has a background of its own: a payment date's row keeps its highlight there too.
          onCell={(row) => (row.date.is_payment_date ? { style: PAYMENT_DATE_ROW } : {})}
          render={(_, row) => (
            <Space direction="vertical" size={2}>
              <Typography.Text strong>{formatDateOnly(row.date.achievement_date)}</Typography.Text>
              {row.date.is_payment_date && <PaymentDateTag />}
            </Space>
          )}
        />
        <Table.Column<DateRow>
          title={text('achievement.fields.action')}
          key="action"
          render={(_, row) => {
            const date = formatDateOnly(row.date.achievement_date);
            if (row.achievement) {
              return (
                <Link to={open(row.achievement.id)} aria-label={text('achievement.list.openFor', { date })}>
                  {text('achievement.list.open')}
                </Link>
              );
            }
            return (
              <CanAccess resource="achievement" action="create">
                <Button
                  size="small"
                  onClick={() => void add(row.date.achievement_date)}
                  loading={adding === row.date.achievement_date}
                  disabled={adding !== null}
                  aria-label={text('achievement.list.addFor', { date })}
                >
                  {text('achievement.list.add')}
                </Button>
              </CanAccess>
            );
          }}
        />
        <Table.Column<DateRow> title={text('achievement.fields.state')} key="state" render={(_, row) => <AchievementStateTags achievement={row.achievement} />} />
        <Table.Column<DateRow>
          title={text('achievement.fields.groups')}
          key="groups"
          render={(_, row) =>
            row.achievement && row.groups.length > 0 ? (
              <Space size={[4, 4]} wrap>
                {row.groups.map((group) => (
                  <Tag key={group.group_id} color={group.submitted >= group.possible ? 'green' : 'default'} style={{ marginInlineEnd: 0 }} data-testid={`count-${row.date.achievement_date}-${group.code}`}>
                    {text('achievement.list.groupCount', { code: group.code, submitted: group.submitted, possible: group.possible })}
                  </Tag>
                ))}
              </Space>
            ) : (
              <Typography.Text type="secondary">{row.achievement ? '–' : text('achievement.list.noAchievement')}</Typography.Text>
            )
          }
        />
      </Table>
    </Card>
  );
}
