// The offers of one or more services: a table (provider or service, status,
// dates) with tick boxes for Commissioning Management, and the bar that
// withdraws (only offered) or cancels (only approved/rejected) the ticked
// offers after a confirmation. withdraw_offers / cancel_offers decide; a
// refusal shows the database's message.
import { CanAccess, useInvalidate, useNotification } from '@refinedev/core';
import { Alert, Button, Space, Table, Typography, type CheckboxProps } from 'antd';
import { Link } from 'react-router';
import { useMemo, useState } from 'react';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { canCancel, canWithdraw, SERVICE_OFFERS, type Offer, type QualityService } from './model.ts';
import { OfferStatusTag } from './status.tsx';

export interface OffersTableProps {
  offers: Offer[];
  services?: ReadonlyMap<string, QualityService>;
  /** Which column names the other side: the provider (a service's page) or the service (a provider's page). */
  show: 'provider' | 'service';
  selected?: readonly string[];
  onSelect?: ((ids: string[]) => void) | undefined;
  loading?: boolean;
  caption: string;
  empty: string;
}

export function OffersTable({ offers, services, show, selected, onSelect, loading = false, caption, empty }: OffersTableProps) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  // A stable order: by provider's ODS code, or by service name.
  const rows = useMemo(
    () =>
      [...offers].sort((a, b) =>
        show === 'provider'
          ? (a.provider?.ods_code ?? '').localeCompare(b.provider?.ods_code ?? '', 'en-GB')
          : (services?.get(a.service_id)?.name ?? '').localeCompare(services?.get(b.service_id)?.name ?? '', 'en-GB'),
      ),
    [offers, services, show],
  );
  return (
    // No `scroll` and fixed key column here: with row selection, antd's measuring row then fails axe
    // (aria-hidden-focus); the table scrolls inside its card by src/responsive.css instead.
    <Table<Offer>
      dataSource={rows}
      rowKey="id"
      size="small"
      loading={loading}
      pagination={offers.length > 25 ? { pageSize: 25, showSizeChanger: false } : false}
      aria-label={caption}
      locale={{ emptyText: empty }}
      rowSelection={
        onSelect
          ? {
              selectedRowKeys: [...(selected ?? [])],
              preserveSelectedRowKeys: true,
              onChange: (keys) => onSelect(keys.map(String)),
              getTitleCheckboxProps: () => ({ 'aria-label': text('offers.table.selectAll', { caption }) }) as CheckboxProps,
              getCheckboxProps: (offer) =>
                ({
                  'aria-label':
                    show === 'provider'
                      ? text('offers.table.selectOne', { what: offer.provider ? `${offer.provider.name} (${offer.provider.ods_code})` : offer.provider_id })
                      : text('offers.table.selectOne', { what: services?.get(offer.service_id)?.name ?? offer.service_id }),
                }) as CheckboxProps,
            }
          : undefined
      }
    >
      {show === 'provider' ? (
        <Table.Column<Offer>
          title={text('offers.fields.provider')}
          key="provider"
          width={280}
          render={(_, offer) =>
            offer.provider ? (
              <Link to={path(`/offered-services/providers/${offer.provider_id}`)} title={text('offers.table.providerLink', { name: offer.provider.name })}>
                <Typography.Text strong>{offer.provider.ods_code}</Typography.Text> {offer.provider.name}
              </Link>
            ) : (
              offer.provider_id
            )
          }
        />
      ) : (
        <Table.Column<Offer>
          title={text('offers.fields.service')}
          key="service"
          render={(_, offer) => {
            const service = services?.get(offer.service_id);
            return (
              <Link to={path(`/offered-services/${offer.service_id}`)}>
                {service ? `${service.name}` : offer.service_id}
              </Link>
            );
          }}
        />
      )}
      <Table.Column<Offer> title={text('offers.fields.status')} key="status" width={190} render={(_, offer) => <OfferStatusTag offer={offer} />} />
      <Table.Column<Offer>
        title={text('offers.fields.period')}
        key="period"
        width={190}
        render={(_, offer) => `${formatDateOnly(offer.starts_on)} – ${formatDateOnly(offer.ends_on)}`}
      />
      <Table.Column<Offer> title={text('offers.fields.respondBy')} dataIndex="respond_by" width={110} render={(value: string) => formatDateOnly(value)} />
      <Table.Column<Offer>
        title={text('offers.fields.reason')}
        dataIndex="decision_reason"
        onHeaderCell={() => ({ style: { whiteSpace: 'nowrap' } })}
        render={(value: string | null) => value ?? <Typography.Text type="secondary">–</Typography.Text>}
      />
    </Table>
  );
}

function offerLabel(offer: Offer, services?: ReadonlyMap<string, QualityService>): string {
  const provider = offer.provider ? `${offer.provider.name} (${offer.provider.ods_code})` : offer.provider_id;
  const service = services?.get(offer.service_id)?.name;
  return service ? `${service} — ${provider}` : provider;
}

/**
 * Withdraw / Cancel for the ticked offers. Each button works only when every
 * ticked offer is in the right state; otherwise it is disabled and the rule is
 * said next to it.
 */
export function OfferActionBar({
  offers,
  selected,
  services,
  onDone,
}: {
  offers: readonly Offer[];
  selected: readonly string[];
  services?: ReadonlyMap<string, QualityService>;
  onDone: () => void;
}) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const [busy, setBusy] = useState<'withdraw' | 'cancel' | null>(null);
  const chosen = offers.filter((offer) => selected.includes(offer.id));
  const withdrawable = chosen.filter(canWithdraw);
  const cancellable = chosen.filter(canCancel);
  const canWithdrawAll = chosen.length > 0 && withdrawable.length === chosen.length;
  const canCancelAll = chosen.length > 0 && cancellable.length === chosen.length;

  const run = async (kind: 'withdraw' | 'cancel') => {
    const ok = await confirm({
      title:
        chosen.length === 1
          ? text(kind === 'withdraw' ? 'offers.withdraw.titleOne' : 'offers.cancel.titleOne')
          : text(kind === 'withdraw' ? 'offers.withdraw.title' : 'offers.cancel.title', { n: chosen.length }),
      content: (
        <div>
          <Typography.Paragraph>{text(kind === 'withdraw' ? 'offers.withdraw.explain' : 'offers.cancel.explain')}</Typography.Paragraph>
          <ul style={{ maxHeight: 200, overflowY: 'auto', paddingInlineStart: 20 }}>
            {chosen.map((offer) => (
              <li key={offer.id}>{offerLabel(offer, services)}</li>
            ))}
          </ul>
        </div>
      ),
      okText: text(kind === 'withdraw' ? 'offers.withdraw.ok' : 'offers.cancel.ok', { n: chosen.length }),
      cancelText: text('offers.actions.keep'),
      danger: true,
    });
    if (!ok) return;
    setBusy(kind);
    try {
      await callRpc(kind === 'withdraw' ? 'withdraw_offers' : 'cancel_offers', { p_offer_ids: chosen.map((offer) => offer.id) });
      notify?.({
        type: 'success',
        message:
          chosen.length === 1
            ? text(kind === 'withdraw' ? 'offers.withdraw.doneOne' : 'offers.cancel.doneOne')
            : text(kind === 'withdraw' ? 'offers.withdraw.done' : 'offers.cancel.done', { n: chosen.length }),
      });
      onDone();
      await invalidate({ resource: SERVICE_OFFERS, invalidates: ['list', 'detail'] });
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusy(null);
    }
  };

  const notes: string[] = [];
  if (chosen.length > 0 && !canWithdrawAll && withdrawable.length > 0) {
    notes.push(text('offers.actions.withdrawRule', { n: chosen.length - withdrawable.length }));
  }
  if (chosen.length > 0 && !canCancelAll && cancellable.length > 0) {
    notes.push(text('offers.actions.cancelRule', { n: chosen.length - cancellable.length }));
  }
  if (chosen.length > 0 && withdrawable.length === 0 && cancellable.length === 0) notes.push(text('offers.actions.nothingToDo'));

  return (
    <CanAccess resource="offers" action="edit">
      <div style={{ marginBottom: 12 }}>
        <Space wrap>
          <Typography.Text role="status" aria-live="polite">
            {text(chosen.length === 1 ? 'offers.actions.selectedOne' : 'offers.actions.selected', { n: chosen.length })}
          </Typography.Text>
          <Button onClick={() => void run('withdraw')} disabled={!canWithdrawAll || busy !== null} loading={busy === 'withdraw'}>
            {text('offers.actions.withdraw')}
          </Button>
          <Button danger onClick={() => void run('cancel')} disabled={!canCancelAll || busy !== null} loading={busy === 'cancel'}>
            {text('offers.actions.cancel')}
          </Button>
        </Space>
        {notes.length > 0 && <Alert type="info" showIcon style={{ marginTop: 8 }} message={notes.join(' ')} />}
        {chosen.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {text('offers.actions.hint')}
          </Typography.Paragraph>
        )}
      </div>
    </CanAccess>
  );
}
