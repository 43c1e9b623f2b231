// One offer to the provider (the page offer notifications open): the
// service, its dates, what is paid (components with this offer's tariff, or
// indicator groups with their indicators, each expandable), and for Service
// Management while it is offered: Accept (after a confirmation) or Reject
// (with a reason of at most 500 characters, which the commissioner reads).
import { ResultTitle, Show } from '../../components/page.tsx';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { CanAccess, useInvalidate, useList, useNotification, useOne, type BaseRecord, type HttpError } from '@refinedev/core';
import { Alert, Button, Collapse, Descriptions, Empty, Result, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { ReasonModal } from '../../components/reason-modal.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { SERVICE_OFFERS } from '../offers/model.ts';
import { OfferStatusTag } from '../offers/status.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import {
  PARTICIPATION_SELECT,
  REASON_MAX_LENGTH,
  type Indicator,
  type IndicatorGroup,
  type OfferTariff,
  type ParticipationOffer,
  type ServiceComponent,
} from './model.ts';

function useRows<T extends object>(resource: string, field: string, value: string | undefined, select: string, sort = 'position') {
  const { result, query } = useList<BaseRecord, HttpError>({
    resource,
    pagination: { mode: 'off' },
    filters: [{ field, operator: 'eq', value: value ?? '' }],
    sorters: sort ? [{ field: sort, order: 'asc' }] : [],
    meta: { select },
    queryOptions: { enabled: Boolean(value) },
    errorNotification: false,
  });
  return { rows: (query.isSuccess ? result.data : undefined) as unknown as T[] | undefined, isLoading: query.isLoading, error: query.error ?? null };
}

export function ParticipationShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id = '' } = useParams<{ id: string }>();
  const { result: offer, query } = useOne<ParticipationOffer, HttpError>({
    resource: SERVICE_OFFERS,
    id,
    meta: { select: PARTICIPATION_SELECT },
    errorNotification: false,
  });

  if (query.isLoading) return <Skeleton active aria-busy="true" />;
  if (query.error || !offer) {
    return (
      <Result
        status={query.error ? 'error' : '404'}
        title={<ResultTitle>{text('participation.show.notFound')}</ResultTitle>}
        subTitle={query.error?.message}
        extra={<Link to={path('/participation')}>{text('participation.show.backToList')}</Link>}
      />
    );
  }
  const service = offer.service;
  return (
    <Show
      title={service?.name ?? text('participation.titles.show')}
      goBack={false}
      headerButtons={() => <Link to={path('/participation')}>{text('participation.show.backToList')}</Link>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <OfferStatusTag offer={offer} />
        {service && <Tag color={service.kind === 'national' ? 'geekblue' : 'purple'}>{text(`participation.kind.${service.kind}`)}</Tag>}
        {service?.participation_only && <Tag>{text('participation.show.participationOnly')}</Tag>}
      </Space>
      <StatusNote offer={offer} />
      {service?.description && <Typography.Paragraph>{service.description}</Typography.Paragraph>}
      <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={text('participation.fields.provider')}>
          {offer.provider ? `${offer.provider.name} (${offer.provider.ods_code})` : '–'}
        </Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.commissioner')}>
          {service?.commissioner ? `${service.commissioner.name} (${service.commissioner.ods_code})` : '–'}
        </Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.financialYear')}>{service?.financial_year ?? '–'}</Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.paymentType')}>{service?.payment_type ?? '–'}</Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.period')}>
          {`${formatDateOnly(offer.starts_on)} – ${formatDateOnly(offer.ends_on)}`}
        </Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.respondBy')}>{formatDateOnly(offer.respond_by)}</Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.targetDate')}>{formatDateOnly(offer.target_date)}</Descriptions.Item>
        <Descriptions.Item label={text('participation.fields.offeredAt')}>{formatUkDateTime(offer.offered_at)}</Descriptions.Item>
      </Descriptions>
      {offer.status === 'offered' && (
        <CanAccess resource="participation" action="edit">
          <Decision offer={offer} />
        </CanAccess>
      )}
      {service?.kind === 'national' ? <IndicatorGroups serviceId={offer.service_id} /> : <Components offerId={offer.id} serviceId={offer.service_id} />}
    </Show>
  );
}

function StatusNote({ offer }: { offer: ParticipationOffer }) {
  const text = useAreaText(dictionary);
  if (offer.status === 'approved') {
    return <Alert type="success" showIcon style={{ marginBottom: 16 }} message={text('participation.show.approved', { at: formatUkDateTime(offer.decided_at) })} />;
  }
  if (offer.status === 'rejected') {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message={text('participation.show.rejected', { at: formatUkDateTime(offer.decided_at) })}
        description={offer.decision_reason}
      />
    );
  }
  if (offer.status === 'cancelled') {
    return (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        message={text(offer.withdrawn ? 'participation.show.withdrawn' : 'participation.show.cancelled', { at: formatUkDateTime(offer.cancelled_at) })}
      />
    );
  }
  return null;
}

function Decision({ offer }: { offer: ParticipationOffer }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const [busy, setBusy] = useState<'accept' | 'reject' | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const name = offer.service?.name ?? '';

  const refresh = () => invalidate({ resource: SERVICE_OFFERS, invalidates: ['list', 'detail'], id: offer.id });

  const accept = async () => {
    const ok = await confirm({
      title: text('participation.accept.title', { service: name }),
      content: text('participation.accept.explain'),
      okText: text('participation.accept.ok'),
      cancelText: text('participation.actions.notNow'),
    });
    if (!ok) return;
    setBusy('accept');
    try {
      await callRpc('accept_offer', { p_offer_id: offer.id });
      notify?.({ type: 'success', message: text('participation.accept.done', { service: name }) });
      await refresh();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusy(null);
    }
  };

  const reject = async (reason: string) => {
    setBusy('reject');
    try {
      await callRpc('reject_offer', { p_offer_id: offer.id, p_reason: reason });
      notify?.({ type: 'success', message: text('participation.reject.done', { service: name }) });
      setRejecting(false);
      await refresh();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={text('participation.decide.title', { date: formatDateOnly(offer.respond_by) })}
        description={
          <Space wrap style={{ marginTop: 8 }}>
            <Button type="primary" onClick={() => void accept()} loading={busy === 'accept'} disabled={busy !== null}>
              {text('participation.actions.accept')}
            </Button>
            <Button danger onClick={() => setRejecting(true)} disabled={busy !== null}>
              {text('participation.actions.reject')}
            </Button>
          </Space>
        }
      />
      <ReasonModal
        open={rejecting}
        busy={busy === 'reject'}
        maxLength={REASON_MAX_LENGTH}
        texts={{
          title: text('participation.reject.title', { service: name }),
          explain: text('participation.reject.explain'),
          label: text('participation.reject.reason'),
          ok: text('participation.reject.ok'),
          cancel: text('participation.actions.notNow'),
          required: text('participation.reject.required'),
          tooLong: (max) => text('participation.reject.tooLong', { max }),
          count: (n, max) => text('participation.reject.count', { n, max }),
        }}
        onSubmit={reject}
        onCancel={() => setRejecting(false)}
      />
    </>
  );
}

function Components({ offerId, serviceId }: { offerId: string; serviceId: string }) {
  const text = useAreaText(dictionary);
  const components = useRows<ServiceComponent>(
    'service_components',
    'service_id',
    serviceId,
    'id,position,name,kind,unit_price,fixed_amount,information,evidence_required,evidence_text,accepted_file_types',
  );
  const tariffs = useRows<OfferTariff>('offer_tariffs', 'offer_id', offerId, 'component_id,unit_price', '');
  if (components.error) return <Alert type="error" showIcon message={text('participation.show.componentsError')} description={components.error.message} />;
  if (components.isLoading) return <Skeleton active aria-busy="true" />;
  const rows = components.rows ?? [];
  const tariffOf = new Map((tariffs.rows ?? []).map((t) => [t.component_id, t.unit_price]));
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {text('participation.show.componentsTitle', { n: rows.length })}
      </Typography.Title>
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('participation.show.noComponents')} />
      ) : (
        <Collapse
          items={rows.map((component) => {
            const tariff = tariffOf.get(component.id);
            const money =
              component.kind === 'unit'
                ? tariff !== undefined && tariff !== null
                  ? text('participation.component.tariff', { price: formatMoney(tariff), standard: formatMoney(component.unit_price) })
                  : text('participation.component.unit', { price: formatMoney(component.unit_price) })
                : component.kind === 'retainer'
                  ? text('participation.component.retainer', { amount: formatMoney(component.fixed_amount) })
                  : text('participation.component.participation');
            return {
              key: component.id,
              label: (
                <Space wrap>
                  <Typography.Text strong>{component.name}</Typography.Text>
                  <Typography.Text>{money}</Typography.Text>
                  {component.evidence_required && <Tag color="orange">{text('participation.component.evidence')}</Tag>}
                </Space>
              ),
              children: (
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={text('participation.component.kind')}>{text(`participation.componentKind.${component.kind}`)}</Descriptions.Item>
                  {component.information && <Descriptions.Item label={text('participation.component.information')}>{component.information}</Descriptions.Item>}
                  <Descriptions.Item label={text('participation.component.evidence')}>
                    {component.evidence_required
                      ? `${component.evidence_text ?? ''} (${text('participation.component.fileTypes', { types: component.accepted_file_types.join(', ') })})`
                      : text('participation.component.noEvidence')}
                  </Descriptions.Item>
                </Descriptions>
              ),
            };
          })}
        />
      )}
    </>
  );
}

function IndicatorGroups({ serviceId }: { serviceId: string }) {
  const text = useAreaText(dictionary);
  const groups = useRows<IndicatorGroup>('indicator_groups', 'service_id', serviceId, 'id,position,code,name');
  const indicators = useRows<Indicator>(
    'indicators',
    'service_id',
    serviceId,
    'id,group_id,position,code,description,points,payment_basis,payment_rate,lower_threshold,upper_threshold',
  );
  if (groups.error || indicators.error) {
    return <Alert type="error" showIcon message={text('participation.show.componentsError')} description={(groups.error ?? indicators.error)?.message} />;
  }
  if (groups.isLoading || indicators.isLoading) return <Skeleton active aria-busy="true" />;
  const rows = groups.rows ?? [];
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {text('participation.show.groupsTitle', { n: rows.length })}
      </Typography.Title>
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('participation.show.noGroups')} />
      ) : (
        <Collapse
          items={rows.map((group) => {
            const own = (indicators.rows ?? []).filter((indicator) => indicator.group_id === group.id);
            return {
              key: group.id,
              label: (
                <Space wrap>
                  <Typography.Text strong>{group.code}</Typography.Text>
                  <Typography.Text>{group.name}</Typography.Text>
                  <Typography.Text type="secondary">{text('participation.show.indicatorCount', { n: own.length })}</Typography.Text>
                </Space>
              ),
              children: (
                <Table<Indicator> dataSource={own} rowKey="id" size="small" pagination={false} aria-label={`${group.code} ${group.name}`}>
                  <Table.Column<Indicator> title={text('participation.indicator.code')} dataIndex="code" width={100} />
                  <Table.Column<Indicator> title={text('participation.indicator.description')} dataIndex="description" />
                  <Table.Column<Indicator> title={text('participation.indicator.points')} dataIndex="points" width={80} align="right" />
                  <Table.Column<Indicator>
                    title={text('participation.indicator.payment')}
                    key="payment"
                    width={160}
                    render={(_, row) => text(`participation.indicator.${row.payment_basis}`, { rate: formatMoney(row.payment_rate) })}
                  />
                  <Table.Column<Indicator>
                    title={text('participation.indicator.thresholds')}
                    key="thresholds"
                    width={130}
                    render={(_, row) =>
                      row.lower_threshold === null && row.upper_threshold === null ? '–' : `${row.lower_threshold ?? '–'}% – ${row.upper_threshold ?? '–'}%`
                    }
                  />
                </Table>
              ),
            };
          })}
        />
      )}
    </>
  );
}
