// Achievement Results (/:org/achievement-results; Achievement tab): for a
// service and achievement date (a commissioner chooses the practice first),
// per indicator group and indicator the value(s), percentage, thresholds,
// points of the maximum, the rate, the list-size adjustment (list size ÷ the
// service's reference list size) and the payment — each row the database's
// achievement_results, which keep every input the figure came from. The
// achievement's payment is achievements.payment (the exact payments added up
// and rounded once); nothing is added up here. View reads no results (RLS):
// the page says which role is needed instead of showing an empty table.
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Empty, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { DESCRIPTION_COLUMNS, KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { ACHIEVEMENT_COMMISSIONERS, ACHIEVEMENT_MONEY_PROVIDER_READERS } from '../../providers/access.ts';
import { useRowsOf } from '../claims/data.ts';
import { FilterBar, useAchievementFilters, type AchievementFilters } from '../achievement/list.tsx';
import {
  ACHIEVEMENT_SELECT,
  byPosition,
  DATE_SELECT,
  formatFactor,
  formatPercent,
  formatPoints,
  formatWhole,
  GROUP_SELECT,
  INDICATOR_SELECT,
  RESULT_SELECT,
  thresholdText,
  valuesText,
  type Achievement,
  type AchievementDate,
  type AchievementResult,
  type Indicator,
  type IndicatorGroup,
  type NationalService,
} from '../achievement/model.ts';
import { AchievementStateTags, PaymentDateTag } from '../achievement/status.tsx';
import dictionary from './i18n.ts';

function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={2} style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>
      {children}
    </Typography.Title>
  );
}

export function AchievementResultsPage() {
  const text = useAreaText(dictionary);
  const filters = useAchievementFilters();
  const { context, commissioner, providerId, services, service, isLoading, error, refetch } = filters;
  const roles = context?.roles ?? [];
  const moneyReader = roles.some((role) => ACHIEVEMENT_MONEY_PROVIDER_READERS.includes(role) || ACHIEVEMENT_COMMISSIONERS.includes(role));

  let body: ReactNode;
  if (!context) {
    body = <Card loading aria-busy="true" />;
  } else if (!moneyReader) {
    body = (
      <div data-testid="results-need-finance-view">
        <Result
          status="info"
          title={<SectionTitle>{text('achievementResults.noMoneyTitle')}</SectionTitle>}
          subTitle={text('achievementResults.noMoney', { org: context?.label ?? '' })}
        />
      </div>
    );
  } else if (error) {
    body = (
      <Alert
        type="error"
        showIcon
        message={text('achievementResults.loadError')}
        description={error.message}
        action={<Button onClick={() => void refetch()}>{text('achievementResults.retry')}</Button>}
      />
    );
  } else if (isLoading) {
    body = <Card loading aria-busy="true" />;
  } else if (!providerId) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievementResults.choosePracticeFirst')} />;
  } else if (services.length === 0 || !service) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievementResults.noServices')} />;
  } else {
    body = <ServiceResults key={`${providerId}-${service.id}`} filters={filters} providerId={providerId} service={service} />;
  }

  return (
    <List title={text('achievementResults.titles.list')}>
      <Typography.Paragraph>{commissioner ? text('achievementResults.introCommissioner') : text('achievementResults.intro')}</Typography.Paragraph>
      <FilterBar filters={filters} idPrefix="achievement-results" />
      {body}
    </List>
  );
}

/** The date chooser (dates with an achievement, newest first) and the chosen date's results. */
function ServiceResults({ filters, providerId, service }: { filters: AchievementFilters; providerId: string; service: NationalService }) {
  const text = useAreaText(dictionary);
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
  const dates = useRowsOf<AchievementDate>('achievement_dates', 'service_id', service.id, DATE_SELECT);
  const found = useMemo(
    () => [...(achievements.query.isSuccess ? achievements.result.data : [])].sort((a, b) => b.achievement_date.localeCompare(a.achievement_date)),
    [achievements.query.isSuccess, achievements.result.data],
  );
  const wanted = filters.params.get('date');
  const chosen = found.find((a) => a.achievement_date === wanted) ?? found.find((a) => a.calculated_at) ?? found[0];
  const isPayment = (date: string) => (dates.rows ?? []).some((d) => d.achievement_date === date && d.is_payment_date);

  if (achievements.query.error) {
    return (
      <Alert
        type="error"
        showIcon
        message={text('achievementResults.loadError')}
        description={achievements.query.error.message}
        action={<Button onClick={() => void achievements.query.refetch()}>{text('achievementResults.retry')}</Button>}
      />
    );
  }
  // A date asked for (e.g. from an achievement's page) that an older read does not hold yet: wait for the fresh one.
  if (achievements.query.isLoading || (wanted && !found.some((a) => a.achievement_date === wanted) && achievements.query.isFetching)) {
    return <Card loading aria-busy="true" />;
  }
  if (!chosen) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievementResults.noAchievements')} />;

  return (
    <>
      <Space wrap size={[8, 4]} style={{ marginBottom: 16 }}>
        <Typography.Text id="achievement-results-date-label">{text('achievementResults.fields.date')}</Typography.Text>
        <Select
          aria-labelledby="achievement-results-date-label"
          value={chosen.achievement_date}
          onChange={(value: string) => filters.set({ date: value })}
          style={{ width: 240, maxWidth: '100%' }}
          options={found.map((a) => {
            const date = formatDateOnly(a.achievement_date);
            return { value: a.achievement_date, label: isPayment(a.achievement_date) ? text('achievementResults.dateOption', { date }) : date };
          })}
        />
      </Space>
      <AchievementBreakdown key={chosen.id} achievement={chosen} service={service} isPaymentDate={isPayment(chosen.achievement_date)} practiceParam={filters.commissioner ? providerId : null} />
    </>
  );
}

function AchievementBreakdown({ achievement, service, isPaymentDate, practiceParam }: { achievement: Achievement; service: NationalService; isPaymentDate: boolean; practiceParam: string | null }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const results = useRowsOf<AchievementResult>('achievement_results', 'achievement_id', achievement.id, RESULT_SELECT);
  const groups = useRowsOf<IndicatorGroup>('indicator_groups', 'service_id', service.id, GROUP_SELECT, 'position');
  const indicators = useRowsOf<Indicator>('indicators', 'service_id', service.id, INDICATOR_SELECT, 'position');
  const orderedGroups = useMemo(() => byPosition(groups.rows ?? []), [groups.rows]);
  const orderedIndicators = useMemo(() => byPosition(indicators.rows ?? []), [indicators.rows]);
  const open = path(`/achievement/${achievement.id}${practiceParam ? `?practice=${encodeURIComponent(practiceParam)}` : ''}`);
  const error = results.error ?? groups.error ?? indicators.error;

  const summary = (
    <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }} title={<SectionTitle>{text('achievementResults.summary')}</SectionTitle>}>
      <Descriptions.Item label={text('achievementResults.fields.date')}>
        <Space size={8} wrap>
          {formatDateOnly(achievement.achievement_date)}
          {isPaymentDate && <PaymentDateTag />}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={text('achievementResults.fields.service')}>{service.name}</Descriptions.Item>
      <Descriptions.Item label={text('achievementResults.fields.state')}>
        <AchievementStateTags achievement={achievement} />
      </Descriptions.Item>
      <Descriptions.Item label={text('achievementResults.fields.calculated')}>{formatUkDateTime(achievement.calculated_at)}</Descriptions.Item>
      <Descriptions.Item label={text('achievementResults.fields.points')}>
        <span data-testid="results-total-points">{formatPoints(achievement.points)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={text('achievementResults.fields.payment')}>
        <Typography.Text strong data-testid="results-total-payment">
          {formatMoney(achievement.payment)}
        </Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );

  let body: ReactNode;
  if (error) {
    body = (
      <Alert
        type="error"
        showIcon
        message={text('achievementResults.loadError')}
        description={error.message}
        action={<Button onClick={() => void Promise.all([results.refetch(), groups.refetch(), indicators.refetch()])}>{text('achievementResults.retry')}</Button>}
      />
    );
  } else if (results.isLoading || groups.isLoading || indicators.isLoading) {
    body = <Card loading aria-busy="true" />;
  } else if (!achievement.calculated_at) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievementResults.notCalculated')} />;
  } else if ((results.rows ?? []).length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievementResults.noResults')} />;
  } else {
    body = orderedGroups.map((group) => {
      const rows = orderedIndicators
        .filter((indicator) => indicator.group_id === group.id)
        .flatMap((indicator) => {
          const result = results.rows?.find((r) => r.indicator_id === indicator.id);
          return result ? [{ indicator, result }] : [];
        });
      if (rows.length === 0) return null;
      return <GroupResults key={group.id} group={group} rows={rows} />;
    });
  }

  return (
    <>
      {summary}
      {achievement.recalculation_requested_at && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={text('achievementResults.recalculation')} />}
      <Typography.Paragraph type="secondary">{text('achievementResults.totalNote')}</Typography.Paragraph>
      {body}
      <Typography.Paragraph>
        <Link to={open}>{text('achievementResults.openAchievement')}</Link>
      </Typography.Paragraph>
    </>
  );
}

type ResultRow = { indicator: Indicator; result: AchievementResult };

function isNumber(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '' && Number.isFinite(Number(value));
}

/** "£6,851.23" with the unrounded figure beneath when it has more than pennies. */
function Payment({ value, testId, worked }: { value: number | string; testId: string; worked: ReactNode }) {
  const text = useAreaText(dictionary);
  const exact = String(value);
  const hasMore = /\.\d{3,}/.test(exact) && !/\.\d{2}0*$/.test(exact);
  return (
    <Space direction="vertical" size={0} style={{ textAlign: 'right' }}>
      <Typography.Text strong data-testid={testId}>
        {formatMoney(value)}
      </Typography.Text>
      {hasMore && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {text('achievementResults.exact', { value: exact })}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', maxWidth: 260, whiteSpace: 'normal' }}>
        {worked}
      </Typography.Text>
    </Space>
  );
}

/** How the indicator's payment was worked out, from the inputs the database kept. */
function WorkedOut({ result }: { result: AchievementResult }) {
  const text = useAreaText(dictionary);
  if (result.awaiting_network) return <>{text('achievementResults.awaitingExplain')}</>;
  if (result.payment_basis === 'per_unit') return <>{text('achievementResults.workedUnit', { count: formatWhole(result.count ?? 0), rate: formatMoney(result.payment_rate) })}</>;
  if (result.reference_list_size !== null && result.list_size === null) return <>{text('achievementResults.noListSizeExplain')}</>;
  return (
    <>
      {text('achievementResults.workedPoint', {
        points: formatPoints(result.points),
        rate: formatMoney(result.payment_rate),
        adjustment: formatFactor(result.list_size_adjustment),
      })}
    </>
  );
}

function GroupResults({ group, rows }: { group: IndicatorGroup; rows: ResultRow[] }) {
  const text = useAreaText(dictionary);
  const name = `${group.code} – ${group.name}`;
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{name}</SectionTitle>}>
      <Table<ResultRow>
        dataSource={rows}
        rowKey={(row) => row.indicator.id}
        size="small"
        pagination={false}
        aria-label={text('achievementResults.groupLabel', { group: group.code })}
        scroll={TABLE_SCROLL}
      >
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.indicator')}
          key="indicator"
          {...KEY_COLUMN}
          width={170}
          render={(_, { indicator, result }) => (
            <Space direction="vertical" size={2} data-testid={`result-${indicator.code}`}>
              <Typography.Text strong>{indicator.code}</Typography.Text>
              <Typography.Text style={{ fontSize: 12 }}>{indicator.description}</Typography.Text>
              {result.network && !result.awaiting_network && <Tag color="cyan">{text('achievementResults.network')}</Tag>}
              {result.awaiting_network && (
                <Tag color="orange" data-testid={`awaiting-${indicator.code}`}>
                  {text('achievementResults.awaiting')}
                </Tag>
              )}
            </Space>
          )}
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.values')}
          key="values"
          render={(_, { result }) => valuesText(result.payment_basis, result) ?? '–'}
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.pointsOf')}
          key="points"
          align="right"
          render={(_, { indicator, result }) => (
            <span data-testid={`points-${indicator.code}`}>
              {result.payment_basis === 'per_unit' ? text('achievementResults.notApplicable') : text('achievementResults.ofMax', { points: formatPoints(result.points), max: formatPoints(result.max_points) })}
            </span>
          )}
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.indicatorPayment')}
          key="payment"
          align="right"
          render={(_, { indicator, result }) => <Payment value={result.payment_exact} testId={`payment-${indicator.code}`} worked={<WorkedOut result={result} />} />}
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.percentage')}
          key="percentage"
          align="right"
          render={(_, { result }) =>
            result.payment_basis === 'per_unit'
              ? text('achievementResults.notApplicable')
              : isNumber(result.percentage)
                ? formatPercent(result.percentage)
                : result.denominator === 0
                  ? text('achievementResults.noScore')
                  : '–'
          }
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.thresholds')}
          key="thresholds"
          render={(_, { result }) =>
            result.payment_basis === 'per_unit' ? text('achievementResults.notApplicable') : (thresholdText(result.lower_threshold, result.upper_threshold) ?? text('achievementResults.noThresholds'))
          }
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.rate')}
          key="rate"
          render={(_, { result }) =>
            result.payment_basis === 'per_unit'
              ? text('achievementResults.perUnit', { rate: formatMoney(result.payment_rate) })
              : text('achievementResults.perPoint', { rate: formatMoney(result.payment_rate) })
          }
        />
        <Table.Column<ResultRow>
          title={text('achievementResults.fields.listSize')}
          key="list"
          render={(_, { indicator, result }) => {
            if (result.payment_basis === 'per_unit' || result.reference_list_size === null) return text('achievementResults.notScaled');
            if (result.list_size === null)
              return (
                <Tag color="red" data-testid={`no-list-size-${indicator.code}`}>
                  {text('achievementResults.noListSize')}
                </Tag>
              );
            return text('achievementResults.listSizeSum', {
              size: formatWhole(result.list_size),
              reference: formatWhole(result.reference_list_size),
              adjustment: formatFactor(result.list_size_adjustment),
            });
          }}
        />
      </Table>
    </Card>
  );
}
