// One offered service (the page offer_service's notifications and the wizard
// open): the service, and every provider it is offered to with the status;
// and one provider (drilled to from a provider's name): every service offered
// to it.
import { ResultTitle, Show } from '../../components/page.tsx';
import { CanAccess, useCan, useOne, type HttpError } from '@refinedev/core';
import { Alert, Button, Descriptions, Radio, Result, Skeleton, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import { useOffers, useVisibleServices } from './data.ts';
import { matchesStatus, OfferFilters, useOfferFilters, type StatusFilter } from './filters.tsx';
import dictionary from './i18n.ts';
import { ServiceHeading } from './list.tsx';
import { QUALITY_SERVICES, SERVICE_SELECT, type QualityService } from './model.ts';
import { OfferActionBar, OffersTable } from './offers-table.tsx';
import { useStatusOptions } from './status.tsx';

export function OfferedServiceShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const { id = '' } = useParams<{ id: string }>();
  const { data: canEdit } = useCan({ resource: 'offers', action: 'edit' });
  const statusOptions = useStatusOptions();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [selected, setSelected] = useState<string[]>([]);
  const { result: service, query } = useOne<QualityService, HttpError>({
    resource: QUALITY_SERVICES,
    id,
    meta: { select: SERVICE_SELECT },
    errorNotification: false,
  });
  const { offers, isLoading, error } = useOffers([{ field: 'service_id', operator: 'eq', value: id }], Boolean(id));
  const shown = useMemo(() => (offers ?? []).filter((offer) => matchesStatus(offer, status)), [offers, status]);
  const services = useMemo(() => (service ? new Map([[service.id, service]]) : undefined), [service]);
  const visibleSelected = selected.filter((offerId) => shown.some((offer) => offer.id === offerId));

  if (query.isLoading) return <Skeleton active aria-busy="true" />;
  if (query.error || !service) {
    return (
      <Result
        status={query.error ? 'error' : '404'}
        title={<ResultTitle>{text('offers.show.notFound')}</ResultTitle>}
        subTitle={query.error?.message}
        extra={<Link to={path('/offered-services')}>{text('offers.show.backToList')}</Link>}
      />
    );
  }

  return (
    <Show
      title={service.name}
      goBack={false}
      headerButtons={() => (
        <Space wrap>
          <Link to={path(`/offered-services?year=${encodeURIComponent(service.financial_year)}`)}>{text('offers.show.backToList')}</Link>
          <CanAccess resource="offers" action="create">
            <Button type="primary" onClick={() => navigate(path(`/offered-services/new?service=${service.id}`))}>
              {text('offers.show.offerAgain')}
            </Button>
          </CanAccess>
        </Space>
      )}
    >
      <ServiceHeading service={service} />
      <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} style={{ marginTop: 12, marginBottom: 16 }}>
        <Descriptions.Item label={text('offers.fields.financialYear')}>{service.financial_year}</Descriptions.Item>
        <Descriptions.Item label={text('offers.fields.commissioner')}>
          {service.commissioner ? `${service.commissioner.name} (${service.commissioner.ods_code})` : '–'}
        </Descriptions.Item>
        <Descriptions.Item label={text('offers.fields.serviceDates')}>
          {`${formatDateOnly(service.starts_on)} – ${formatDateOnly(service.ends_on)}`}
        </Descriptions.Item>
        <Descriptions.Item label={text('offers.fields.description')}>{service.description || '–'}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {text('offers.show.providersTitle', { n: offers?.length ?? 0 })}
      </Typography.Title>
      <Radio.Group
        aria-label={text('offers.filters.status')}
        optionType="button"
        value={status}
        onChange={(event) => setStatus(event.target.value as StatusFilter)}
        options={statusOptions}
        style={{ marginBottom: 16 }}
      />
      {error ? (
        <Alert type="error" showIcon message={text('offers.list.loadError')} description={error.message} />
      ) : (
        <>
          {canEdit?.can && shown.length > 0 && (
            <OfferActionBar offers={shown} selected={visibleSelected} services={services} onDone={() => setSelected([])} />
          )}
          <OffersTable
            offers={shown}
            show="provider"
            services={services}
            loading={isLoading}
            caption={text('offers.table.caption', { service: service.name })}
            empty={text('offers.show.noOffers')}
            selected={visibleSelected}
            onSelect={canEdit?.can ? setSelected : undefined}
          />
        </>
      )}
    </Show>
  );
}

interface ProviderRow {
  id: string;
  ods_code: string;
  name: string;
}

export function OfferedProviderShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { providerId = '' } = useParams<{ providerId: string }>();
  const { data: canEdit } = useCan({ resource: 'offers', action: 'edit' });
  const [selected, setSelected] = useState<string[]>([]);
  const { services, isLoading: servicesLoading, error: servicesError } = useVisibleServices();
  const { offers, isLoading, error } = useOffers([{ field: 'provider_id', operator: 'eq', value: providerId }], Boolean(providerId));
  const offerYears = useMemo(() => {
    const byId = new Map((services ?? []).map((s) => [s.id, s.financial_year]));
    return [...new Set((offers ?? []).map((offer) => byId.get(offer.service_id)).filter((y): y is string => Boolean(y)))];
  }, [services, offers]);
  const filters = useOfferFilters(services && offers ? offerYears : undefined);
  const { result: provider } = useOne<ProviderRow, HttpError>({
    resource: 'organisations',
    id: providerId,
    meta: { select: 'id,ods_code,name' },
    errorNotification: false,
  });
  const byId = useMemo(() => new Map((services ?? []).map((s) => [s.id, s])), [services]);
  const shown = useMemo(
    () => (offers ?? []).filter((offer) => byId.get(offer.service_id)?.financial_year === filters.year && matchesStatus(offer, filters.status)),
    [offers, byId, filters.year, filters.status],
  );
  const visibleSelected = selected.filter((offerId) => shown.some((offer) => offer.id === offerId));
  const title = provider ? text('offers.provider.title', { name: provider.name, ods: provider.ods_code }) : text('offers.provider.titleLoading');

  return (
    <Show title={title} goBack={false} headerButtons={() => <Link to={path('/offered-services')}>{text('offers.show.backToList')}</Link>}>
      <Typography.Paragraph>{text('offers.provider.intro')}</Typography.Paragraph>
      <OfferFilters filters={filters} />
      {servicesError || error ? (
        <Alert type="error" showIcon message={text('offers.list.loadError')} description={(servicesError ?? error)?.message} />
      ) : (
        <>
          {canEdit?.can && shown.length > 0 && (
            <OfferActionBar offers={shown} selected={visibleSelected} services={byId} onDone={() => setSelected([])} />
          )}
          <OffersTable
            offers={shown}
            show="service"
            services={byId}
            loading={isLoading || servicesLoading}
            caption={title}
            empty={text('offers.provider.empty', { year: filters.year })}
            selected={visibleSelected}
            onSelect={canEdit?.can ? setSelected : undefined}
          />
        </>
      )}
      <Typography.Paragraph style={{ marginTop: 12 }}>
        <Link to={path(`/organisations/${providerId}`)}>{text('offers.provider.organisationLink')}</Link>
      </Typography.Paragraph>
    </Show>
  );
}
