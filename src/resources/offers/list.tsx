// Offered services (Commissioning and every commissioner role): the services
// of a financial year that have offers, each with its providers and their
// status; Commissioning Management ticks offers and withdraws or cancels them.
import { CreateButton } from '@refinedev/antd';
import { List } from '../../components/page.tsx';
import { useCan } from '@refinedev/core';
import { Alert, Button, Card, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import { useOffers, useVisibleServices } from './data.ts';
import { matchesStatus, OfferFilters, useOfferFilters } from './filters.tsx';
import dictionary from './i18n.ts';
import type { Offer, QualityService } from './model.ts';
import { OfferActionBar, OffersTable } from './offers-table.tsx';

export function ServiceHeading({ service }: { service: QualityService }) {
  const text = useAreaText(dictionary);
  return (
    <Space wrap size={[8, 4]}>
      <Tag color={service.kind === 'national' ? 'geekblue' : 'purple'}>{text(`offers.kind.${service.kind}`)}</Tag>
      <Typography.Text type="secondary">{service.payment_type}</Typography.Text>
      <Typography.Text type="secondary">
        {text('offers.service.runs', { from: formatDateOnly(service.starts_on), to: formatDateOnly(service.ends_on) })}
      </Typography.Text>
    </Space>
  );
}

export function OfferedServicesList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { services, years, isLoading: servicesLoading, error: servicesError, refetch } = useVisibleServices();
  const filters = useOfferFilters(services ? years : undefined);
  const { data: canEdit } = useCan({ resource: 'offers', action: 'edit' });
  const [selected, setSelected] = useState<string[]>([]);

  const servicesOfYear = useMemo(() => (services ?? []).filter((s) => s.financial_year === filters.year), [services, filters.year]);
  const serviceIds = useMemo(() => servicesOfYear.map((s) => s.id), [servicesOfYear]);
  const byId = useMemo(() => new Map((services ?? []).map((s) => [s.id, s])), [services]);
  const { offers, isLoading: offersLoading, error: offersError } = useOffers(
    [{ field: 'service_id', operator: 'in', value: serviceIds }],
    serviceIds.length > 0,
  );

  const groups = useMemo(() => {
    const result: { service: QualityService; offers: Offer[] }[] = [];
    for (const service of servicesOfYear) {
      const all = (offers ?? []).filter((offer) => offer.service_id === service.id);
      if (all.length === 0) continue;
      const shown = all.filter((offer) => matchesStatus(offer, filters.status));
      if (shown.length > 0) result.push({ service, offers: shown });
    }
    return result;
  }, [servicesOfYear, offers, filters.status]);
  const shownOffers = useMemo(() => groups.flatMap((group) => group.offers), [groups]);
  const visibleSelected = selected.filter((id) => shownOffers.some((offer) => offer.id === id));

  const error = servicesError ?? offersError;
  const loading = servicesLoading || offersLoading || (serviceIds.length > 0 && offers === undefined && !error);

  return (
    <List
      title={text('offers.titles.list')}
      headerButtons={() => <CreateButton resource="offers">{text('offers.actions.offer')}</CreateButton>}
    >
      <Typography.Paragraph>{text('offers.list.intro')}</Typography.Paragraph>
      <OfferFilters filters={filters} />
      {error ? (
        <Alert
          type="error"
          showIcon
          message={text('offers.list.loadError')}
          description={error.message}
          action={<Button onClick={refetch}>{text('offers.actions.retry')}</Button>}
        />
      ) : loading ? (
        <Skeleton active aria-busy="true" />
      ) : groups.length === 0 ? (
        <Empty
          description={
            filters.status === 'all'
              ? text('offers.list.empty', { year: filters.year })
              : text('offers.list.emptyStatus', { year: filters.year, status: text(`offers.status.${filters.status}`) })
          }
        />
      ) : (
        <>
          {canEdit?.can && <OfferActionBar offers={shownOffers} selected={visibleSelected} services={byId} onDone={() => setSelected([])} />}
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {groups.map(({ service, offers: rows }) => (
              <Card
                key={service.id}
                size="small"
                title={
                  <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                    <Link to={path(`/offered-services/${service.id}`)}>{service.name}</Link>
                  </Typography.Title>
                }
                extra={<ServiceHeading service={service} />}
              >
                <OffersTable
                  offers={rows}
                  show="provider"
                  services={byId}
                  caption={text('offers.table.caption', { service: service.name })}
                  empty={text('offers.table.empty')}
                  selected={visibleSelected}
                  onSelect={
                    canEdit?.can
                      ? (ids) => {
                          // The table knows only its own rows: keep the other tables' ticks.
                          const own = new Set(rows.map((row) => row.id));
                          setSelected([...selected.filter((id) => !own.has(id)), ...ids.filter((id) => own.has(id))]);
                        }
                      : undefined
                  }
                />
              </Card>
            ))}
          </Space>
        </>
      )}
    </List>
  );
}
