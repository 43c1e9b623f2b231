// Payments (/:org/payments, provider side): the practice's claims sent for
// payment or paid (claim_overview: status, payment date, paid at, total,
// services, periods), newest payment date first, with the totals per payment
// date above (claim_payment_totals: the database adds them up). Each Claim ID
// opens the claim's page.
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Empty, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { CLAIM_OVERVIEW } from '../claims/data.ts';
import type { ClaimOverview } from '../claims/model.ts';
import type { Tables } from '../../types/database.ts';
import { ClaimStatusTag } from '../claims/status.tsx';
import dictionary from './i18n.ts';

/** The claim_overview columns of a payment. */
export type PaidClaim = Pick<ClaimOverview, 'id' | 'claim_number' | 'status' | 'total' | 'services' | 'periods' | 'provider_id' | 'payment_date' | 'paid_at'>;
const PAID_CLAIM_SELECT = 'id,claim_number,status,total,services,periods,provider_id,payment_date,paid_at';
type DateTotal = Tables<'claim_payment_totals'>;

export function PaymentsList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const providerId = context?.membership?.organisation_id ?? '';
  const claims = useList<PaidClaim, HttpError>({
    resource: CLAIM_OVERVIEW,
    pagination: { mode: 'off' },
    filters: [
      { field: 'provider_id', operator: 'eq', value: providerId },
      { field: 'status', operator: 'in', value: ['sent', 'paid'] },
    ],
    sorters: [
      { field: 'payment_date', order: 'desc' },
      { field: 'claim_number', order: 'asc' },
    ],
    meta: { select: PAID_CLAIM_SELECT },
    queryOptions: { enabled: Boolean(providerId) },
    errorNotification: false,
  });
  const totals = useList<DateTotal, HttpError>({
    resource: 'claim_payment_totals',
    pagination: { mode: 'off' },
    filters: [{ field: 'provider_id', operator: 'eq', value: providerId }],
    sorters: [{ field: 'payment_date', order: 'desc' }],
    queryOptions: { enabled: Boolean(providerId) },
    errorNotification: false,
  });
  const rows = useMemo(() => (claims.query.isSuccess ? claims.result.data : []), [claims.query.isSuccess, claims.result.data]);
  const byDate = totals.query.isSuccess ? totals.result.data : [];

  let body;
  if (claims.query.error) {
    body = (
      <Alert
        type="error"
        showIcon
        message={text('payments.loadError')}
        description={claims.query.error.message}
        action={<Button onClick={() => void claims.query.refetch()}>{text('payments.retry')}</Button>}
      />
    );
  } else if (!claims.query.isLoading && rows.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span style={{ display: 'inline-block', maxWidth: 560 }}>{text('payments.empty')}</span>} />;
  } else {
    body = (
      <>
        <Card size="small" style={{ marginBottom: 16, maxWidth: 720 }} title={<SectionTitle>{text('payments.byDate')}</SectionTitle>}>
          <Table<DateTotal>
            dataSource={byDate}
            rowKey={(row) => row.payment_date ?? 'none'}
            size="small"
            loading={totals.query.isLoading}
            pagination={false}
            aria-label={text('payments.byDate')}
            scroll={TABLE_SCROLL}
          >
            <Table.Column<DateTotal> title={text('payments.fields.paymentDate')} key="date" width={120} render={(_, row) => (row.payment_date ? formatDateOnly(row.payment_date) : text('payments.noDate'))} />
            <Table.Column<DateTotal> title={text('payments.fields.claims')} key="claims" align="right" width={70} render={(_, row) => row.claim_count} />
            <Table.Column<DateTotal>
              title={text('payments.fields.total')}
              key="total"
              align="right"
              width={120}
              render={(_, row) => <span data-testid={`date-total-${row.payment_date ?? 'none'}`}>{formatMoney(row.total)}</span>}
            />
            <Table.Column<DateTotal>
              title={text('payments.fields.state')}
              key="state"
              render={(_, row) =>
                row.paid_count === row.claim_count ? (
                  <Tag color="green">{text('payments.state.paid')}</Tag>
                ) : row.paid_count === 0 ? (
                  <Tag color="geekblue">{text('payments.state.sent')}</Tag>
                ) : (
                  <Tag color="gold">{text('payments.state.some', { paid: row.paid_count ?? 0, n: row.claim_count ?? 0 })}</Tag>
                )
              }
            />
          </Table>
        </Card>
        <Card size="small" title={<SectionTitle>{text('payments.claims')}</SectionTitle>}>
          <Table<PaidClaim>
            dataSource={rows}
            rowKey="id"
            size="small"
            loading={claims.query.isLoading}
            pagination={rows.length > 25 ? { pageSize: 25 } : false}
            aria-label={text('payments.claims')}
            scroll={TABLE_SCROLL}
          >
            <Table.Column<PaidClaim>
              title={text('payments.fields.claimId')}
              key="claim"
              {...KEY_COLUMN}
              width={100}
              render={(_, claim) => <Link to={path(`/claims/${claim.id}`)}>{claim.claim_number}</Link>}
            />
            <Table.Column<PaidClaim> title={text('payments.fields.paymentDate')} key="date" render={(_, claim) => formatDateOnly(claim.payment_date)} />
            <Table.Column<PaidClaim> title={text('payments.fields.status')} key="status" render={(_, claim) => <ClaimStatusTag status={claim.status} />} />
            <Table.Column<PaidClaim> title={text('payments.fields.paidAt')} key="paid" render={(_, claim) => formatUkDate(claim.paid_at)} />
            <Table.Column<PaidClaim>
              title={text('payments.fields.total')}
              key="total"
              align="right"
              render={(_, claim) => <span data-testid={`claim-total-${claim.claim_number}`}>{formatMoney(claim.total)}</span>}
            />
            <Table.Column<PaidClaim> title={text('payments.fields.services')} key="services" render={(_, claim) => claim.services || '–'} />
            <Table.Column<PaidClaim> title={text('payments.fields.period')} key="period" render={(_, claim) => claim.periods || '–'} />
          </Table>
        </Card>
      </>
    );
  }

  return (
    <List title={text('payments.titles.list')}>
      <Typography.Paragraph>{text('payments.intro')}</Typography.Paragraph>
      {body}
    </List>
  );
}

function SectionTitle({ children }: { children: string }) {
  return (
    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}
