// Claims (provider): the organisation's claims (all years, or one financial year) by status,
// New Claim for Claim Submitters when new_claim_availability allows it (else
// the database's reason, the job aid's three), and for Provider Approvers a
// "Claims to approve" tab (claims pending provider approval).
import { useList, useNotification, type HttpError } from '@refinedev/core';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Select, Space, Table, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { KEY_COLUMN } from '../../components/table-layout.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { currentFinancialYear, yearOptions } from '../offers/model.ts';
import { CLAIM_OVERVIEW } from './data.ts';
import dictionary from './i18n.ts';
import { CLAIM_STATUSES, type ClaimAvailability, type ClaimOverview, type ClaimStatus } from './model.ts';
import { ClaimStatusTag } from './status.tsx';

type View = 'all' | 'approve';

/** The year filter's value for every year (the default). */
const ALL_YEARS = 'all';
const CLAIMS_TABLE_SCROLL = { x: 960 } as const;

export function ClaimsList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const organisationId = context?.membership?.organisation_id ?? null;
  const roles = context?.roles ?? [];
  const isSubmitter = roles.includes('claim_submitter');
  const isApprover = roles.includes('provider_approver');
  const [params, setParams] = useSearchParams();

  const { result, query } = useList<ClaimOverview, HttpError>({
    resource: CLAIM_OVERVIEW,
    pagination: { mode: 'off' },
    // Someone with several practices sees each one's claims in its own context.
    filters: [{ field: 'provider_id', operator: 'eq', value: organisationId ?? '' }],
    sorters: [{ field: 'created_at', order: 'desc' }],
    queryOptions: { enabled: Boolean(organisationId) },
    errorNotification: false,
  });
  const claims = useMemo(() => (query.isSuccess ? result.data : []), [query.isSuccess, result.data]);

  const current = useMemo(() => currentFinancialYear(), []);
  // All years by default: a claim's year is its services' (2025/26 services are claimed in 2026/27),
  // so a list opened on the current year would hide the claim just started.
  const rawYear = params.get('year');
  const chosenYear = rawYear && /^\d{4}\/\d{2}$/.test(rawYear) ? rawYear : null;
  const year = chosenYear ?? ALL_YEARS;
  const years = useMemo(() => {
    const seen = claims.map((claim) => claim.financial_year).filter((y): y is string => Boolean(y));
    return yearOptions(chosenYear ? [...seen, chosenYear] : seen, current);
  }, [claims, current, chosenYear]);
  const rawStatus = params.get('status');
  const status: ClaimStatus | 'all' = CLAIM_STATUSES.includes(rawStatus as ClaimStatus) ? (rawStatus as ClaimStatus) : 'all';
  const view: View = isApprover && params.get('view') === 'approve' ? 'approve' : 'all';
  const set = (name: string, value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set(name, value);
        return next;
      },
      { replace: true },
    );

  const toApprove = claims.filter((claim) => claim.status === 'pending_provider_approval');
  // A claim not yet holding a service has no financial year: it belongs to the current one.
  const rows =
    view === 'approve'
      ? toApprove
      : claims.filter(
          (claim) => (year === ALL_YEARS || (claim.financial_year ?? current) === year) && (status === 'all' || claim.status === status),
        );

  const emptyText =
    view === 'approve'
      ? text('claims.list.emptyToApprove')
      : status === 'all'
        ? year === ALL_YEARS
          ? text('claims.list.emptyAllYears')
          : text('claims.list.empty', { year })
        : year === ALL_YEARS
          ? text('claims.list.emptyStatusAllYears')
          : text('claims.list.emptyStatus', { year });

  const table = (
    <Table<ClaimOverview>
      dataSource={rows}
      rowKey="id"
      size="small"
      loading={query.isLoading}
      aria-label={view === 'approve' ? text('claims.list.tabToApprove', { n: toApprove.length }) : text('claims.titles.list')}
      // A width, not max-content: the Services column wraps (a claim may hold several long service names)
      // so the dates stay in view on a 1280 px laptop.
      scroll={CLAIMS_TABLE_SCROLL}
      pagination={rows.length > 25 ? { pageSize: 25 } : false}
      // antd's plain empty text is too faint (axe colour contrast): the portal's Empty.
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
    >
      <Table.Column<ClaimOverview>
        title={text('claims.fields.claimId')}
        key="claimId"
        {...KEY_COLUMN}
        width={120}
        render={(_, claim) => (
          <Link to={path(`/claims/${claim.id}`)}>
            <Typography.Text strong style={{ color: 'inherit' }}>
              {claim.claim_number}
            </Typography.Text>
          </Link>
        )}
      />
      <Table.Column<ClaimOverview> title={text('claims.fields.services')} key="services" render={(_, claim) => claim.services || '–'} />
      <Table.Column<ClaimOverview> title={text('claims.fields.period')} key="period" width={120} render={(_, claim) => claim.periods || '–'} />
      <Table.Column<ClaimOverview> title={text('claims.fields.status')} key="status" width={190} render={(_, claim) => <ClaimStatusTag status={claim.status} />} />
      <Table.Column<ClaimOverview> title={text('claims.fields.total')} key="total" align="right" width={110} render={(_, claim) => formatMoney(claim.total)} />
      <Table.Column<ClaimOverview> title={text('claims.fields.created')} key="created" width={110} render={(_, claim) => formatUkDate(claim.created_at)} />
      <Table.Column<ClaimOverview> title={text('claims.fields.submitted')} key="submitted" width={110} render={(_, claim) => formatUkDate(claim.submitted_at)} />
    </Table>
  );

  return (
    <List title={text('claims.titles.list')} headerButtons={() => <Link to={path('/claim-windows')}>{text('claims.list.windowsLink')}</Link>}>
      <Typography.Paragraph>{text('claims.list.intro')}</Typography.Paragraph>
      {isSubmitter && organisationId && (
        <NewClaim providerId={organisationId} />
      )}
      {query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('claims.list.loadError')}
          description={query.error.message}
          action={<Button onClick={() => void query.refetch()}>{text('claims.actions.retry')}</Button>}
        />
      ) : (
        <>
          {view === 'all' && (
            <Space wrap size="large" style={{ marginBottom: 16 }}>
              <Space>
                <Typography.Text id="claims-year-label">{text('claims.fields.year')}</Typography.Text>
                <Select
                  aria-labelledby="claims-year-label"
                  value={year}
                  onChange={(value: string) => set('year', value)}
                  style={{ width: 180 }}
                  options={[
                    { value: ALL_YEARS, label: text('claims.list.allYears') },
                    ...years.map((y) => ({ value: y, label: y === current ? text('claims.list.currentYear', { year: y }) : y })),
                  ]}
                />
              </Space>
              <Space>
                <Typography.Text id="claims-status-label">{text('claims.fields.status')}</Typography.Text>
                <Select
                  aria-labelledby="claims-status-label"
                  value={status}
                  onChange={(value: string) => set('status', value)}
                  style={{ width: 240, maxWidth: '100%' }}
                  options={[
                    { value: 'all', label: text('claims.status.all') },
                    ...CLAIM_STATUSES.map((value) => ({ value, label: text(`claims.status.${value}`) })),
                  ]}
                />
              </Space>
            </Space>
          )}
          {isApprover ? (
            <Tabs
              activeKey={view}
              onChange={(key) => set('view', key)}
              items={[
                { key: 'all', label: text('claims.list.tabAll'), children: view === 'all' ? table : null },
                { key: 'approve', label: text('claims.list.tabToApprove', { n: toApprove.length }), children: view === 'approve' ? table : null },
              ]}
            />
          ) : (
            table
          )}
        </>
      )}
    </List>
  );
}

/**
 * New Claim, or why there is none today (the database's message). When a draft holds the open
 * windows, the database names it (open_drafts) and the page links to it.
 */
function NewClaim({ providerId }: { providerId: string }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const { open: notify } = useNotification();
  const [starting, setStarting] = useState(false);
  const availability = useQuery({
    queryKey: ['new_claim_availability', providerId],
    queryFn: () => callRpc<ClaimAvailability>('new_claim_availability', { p_provider_id: providerId }),
    retry: false,
  });

  async function start() {
    setStarting(true);
    try {
      const claim = await callRpc<{ id: string; claim_number: number }>('start_claim', { p_provider_id: providerId });
      notify?.({ type: 'success', message: text('claims.new.started', { number: claim.claim_number }) });
      navigate(path(`/claims/${claim.id}`));
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
      void availability.refetch();
    } finally {
      setStarting(false);
    }
  }

  if (availability.isLoading) return <Typography.Paragraph type="secondary">{text('claims.new.checking')}</Typography.Paragraph>;
  if (availability.error) {
    const problem = describeRpcError(availability.error);
    return (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        message={text('claims.new.availabilityError')}
        description={problem.description}
        action={<Button onClick={() => void availability.refetch()}>{text('claims.actions.retry')}</Button>}
      />
    );
  }
  const answer = availability.data;
  if (answer?.available) {
    return (
      <Button type="primary" style={{ marginBottom: 16 }} loading={starting} onClick={() => void start()}>
        {text('claims.new.button')}
      </Button>
    );
  }
  const unfinished = answer?.open_drafts ?? [];
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      message={text('claims.new.none')}
      description={
        <>
          {answer?.message ?? ''}
          {unfinished.length > 0 && (
            <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
              {unfinished.map((claim, index) => (
                <span key={claim.claim_id}>
                  {index > 0 && ', '}
                  {/* Underlined: a link inside a sentence is told apart by more than its colour (axe link-in-text-block). */}
                  <Link to={path(`/claims/${claim.claim_id}`)} style={{ textDecoration: 'underline' }}>
                    {text('claims.new.draftLink', { number: claim.claim_number })}
                  </Link>
                </span>
              ))}
            </Typography.Paragraph>
          )}
        </>
      }
    />
  );
}
