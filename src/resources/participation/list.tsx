// My services (provider): the services offered to the current organisation
// in a financial year (the current one by default), with a status filter.
import { List } from '../../components/page.tsx';
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { useCurrentOrganisationId } from '../../providers/access-context.tsx';
import { matchesStatus, OfferFilters, useOfferFilters } from '../offers/filters.tsx';
import { SERVICE_OFFERS } from '../offers/model.ts';
import { OfferStatusTag } from '../offers/status.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { PARTICIPATION_SELECT, type ParticipationOffer } from './model.ts';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';

export function ParticipationList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const organisationId = useCurrentOrganisationId();
  const { result, query } = useList<ParticipationOffer, HttpError>({
    resource: SERVICE_OFFERS,
    pagination: { mode: 'off' },
    // Someone with several practices sees each one's offers in its own context.
    filters: [{ field: 'provider_id', operator: 'eq', value: organisationId ?? '' }],
    sorters: [{ field: 'offered_at', order: 'desc' }],
    meta: { select: PARTICIPATION_SELECT },
    queryOptions: { enabled: Boolean(organisationId) },
    errorNotification: false,
  });
  const offers = query.isSuccess ? result.data : undefined;
  const years = useMemo(
    () => (offers ? [...new Set(offers.map((offer) => offer.service?.financial_year).filter((y): y is string => Boolean(y)))] : undefined),
    [offers],
  );
  const filters = useOfferFilters(years);
  const rows = useMemo(
    () => (offers ?? []).filter((offer) => offer.service?.financial_year === filters.year && matchesStatus(offer, filters.status)),
    [offers, filters.year, filters.status],
  );
  const waiting = rows.filter((offer) => offer.status === 'offered').length;

  return (
    <List title={text('participation.titles.list')}>
      <Typography.Paragraph>{text('participation.list.intro')}</Typography.Paragraph>
      <OfferFilters filters={filters} />
      {waiting > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={text(waiting === 1 ? 'participation.list.waitingOne' : 'participation.list.waiting', { n: waiting })}
        />
      )}
      {query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('participation.list.loadError')}
          description={query.error.message}
          action={<Button onClick={() => void query.refetch()}>{text('participation.actions.retry')}</Button>}
        />
      ) : (
        <Table<ParticipationOffer>
          dataSource={rows}
          rowKey="id"
          size="small"
          loading={query.isLoading}
          aria-label={text('participation.titles.list')}
          scroll={TABLE_SCROLL}
          pagination={rows.length > 25 ? { pageSize: 25 } : false}
          locale={{
            emptyText:
              filters.status === 'all'
                ? text('participation.list.empty', { year: filters.year })
                : text('participation.list.emptyStatus', { year: filters.year }),
          }}
        >
          <Table.Column<ParticipationOffer>
            title={text('participation.fields.service')}
            key="service"
            {...KEY_COLUMN}
            render={(_, offer) => (
              <Link to={path(`/participation/${offer.id}`)}>
                <Typography.Text strong style={{ color: 'inherit' }}>
                  {offer.service?.name ?? offer.service_id}
                </Typography.Text>
              </Link>
            )}
          />
          <Table.Column<ParticipationOffer>
            title={text('participation.fields.commissioner')}
            key="commissioner"
            render={(_, offer) => offer.service?.commissioner?.name ?? '–'}
          />
          <Table.Column<ParticipationOffer> title={text('participation.fields.paymentType')} key="paymentType" render={(_, offer) => offer.service?.payment_type ?? '–'} />
          <Table.Column<ParticipationOffer> title={text('participation.fields.status')} key="status" width={190} render={(_, offer) => <OfferStatusTag offer={offer} />} />
          <Table.Column<ParticipationOffer>
            title={text('participation.fields.period')}
            key="period"
            width={200}
            render={(_, offer) => `${formatDateOnly(offer.starts_on)} – ${formatDateOnly(offer.ends_on)}`}
          />
          <Table.Column<ParticipationOffer>
            title={text('participation.fields.respondBy')}
            dataIndex="respond_by"
            width={120}
            render={(value: string) => formatDateOnly(value)}
          />
        </Table>
      )}
    </List>
  );
}
