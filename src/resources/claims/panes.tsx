// The Services and Components panes of a draft claim (CQRS job aid): the
// services that can be claimed now, each with its number of components (Add
// All button 1 shows them all in the Components pane; each can be chosen on
// its own), and the components of the chosen services (Add All button 2 puts
// every one on the claim; a service without claim windows is added a
// component at a time with Add +). The database decides what may be added
// (add_claim_lines): a single-service claim holds one service.
import { CheckCircleTwoTone } from '@ant-design/icons';
import { Alert, Button, Checkbox, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import { describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import dictionary from './i18n.ts';
import type { AvailableService, ComponentRow } from './model.ts';

export function ServicesPane({
  services,
  isLoading,
  error,
  selected,
  singleService,
  onChoose,
  onAddAll,
}: {
  services: AvailableService[] | undefined;
  isLoading: boolean;
  error: unknown;
  selected: ReadonlySet<string>;
  singleService: boolean;
  onChoose: (serviceId: string, chosen: boolean) => void;
  onAddAll: () => void;
}) {
  const text = useAreaText(dictionary);
  if (isLoading) return <Skeleton active aria-busy="true" />;
  if (error) return <Alert type="error" showIcon message={text('claims.show.loadError')} description={describeRpcError(error).description} />;
  const rows = services ?? [];
  const held = rows.find((service) => service.on_claim);
  return (
    <>
      <Typography.Paragraph type="secondary">{text('claims.services.intro')}</Typography.Paragraph>
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('claims.services.empty')} />
      ) : (
        <ul style={{ listStyle: 'none', paddingInlineStart: 0, margin: 0 }}>
          {rows.map((service) => {
            // A single-service claim that holds a service takes no other.
            const blocked = singleService && held !== undefined && held.service_id !== service.service_id;
            return (
              <li key={service.service_id} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
                <Checkbox
                  checked={selected.has(service.service_id)}
                  disabled={blocked}
                  onChange={(event) => onChoose(service.service_id, event.target.checked)}
                >
                  <Typography.Text strong>{service.service_name}</Typography.Text>
                </Checkbox>
                <div style={{ paddingInlineStart: 24 }}>
                  <Space wrap size={[8, 2]}>
                    <Typography.Text type="secondary">
                      {service.component_count === 1
                        ? text('claims.services.componentsOne')
                        : text('claims.services.components', { n: service.component_count })}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {service.period_label}
                      {', '}
                      {service.window_id ? text('claims.services.closes', { date: formatDateOnly(service.closes_on) }) : text('claims.services.noWindow')}
                    </Typography.Text>
                    {service.on_claim && (
                      <Tag color="green">
                        <CheckCircleTwoTone twoToneColor="#52c41a" aria-hidden /> {text('claims.services.onClaim')}
                      </Tag>
                    )}
                  </Space>
                  {blocked && (
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {text('claims.services.otherOnClaim')}
                    </Typography.Text>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {singleService && <Alert type="info" showIcon style={{ marginTop: 12 }} message={text('claims.show.singleService')} />}
      <Button style={{ marginTop: 12 }} onClick={onAddAll} disabled={rows.length === 0 || singleService} aria-label={text('claims.services.addAllLabel')}>
        {text('claims.services.addAll')}
      </Button>
    </>
  );
}

export function ComponentsPane({
  services,
  components,
  isLoading,
  error,
  onClaim,
  busy,
  onAdd,
}: {
  /** The chosen services, in the Services pane's order. */
  services: AvailableService[];
  components: ComponentRow[] | undefined;
  isLoading: boolean;
  error: unknown;
  /** Components already on the claim. */
  onClaim: ReadonlySet<string>;
  busy: boolean;
  onAdd: (componentIds: string[]) => void;
}) {
  const text = useAreaText(dictionary);
  if (services.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('claims.components.empty')} />;
  }
  if (isLoading) return <Skeleton active aria-busy="true" />;
  if (error) return <Alert type="error" showIcon message={text('claims.components.loadError')} description={describeRpcError(error).description} />;
  const claimable = (components ?? []).filter((component) => component.kind === 'unit' || component.kind === 'retainer');
  // Add All (button 2): every component of the chosen services that have claim windows, not yet on the claim.
  const addAll = claimable.filter(
    (component) => !onClaim.has(component.id) && services.some((service) => service.service_id === component.service_id && service.window_id !== null),
  );
  return (
    <>
      <Typography.Paragraph type="secondary">{text('claims.components.intro')}</Typography.Paragraph>
      {services.map((service) => {
        const own = claimable.filter((component) => component.service_id === service.service_id).sort((a, b) => a.position - b.position);
        return (
          // A plain block, not a named region: the Claim pane's section of the same service has that name.
          <div key={service.service_id} style={{ marginBottom: 12 }}>
            <Typography.Title level={3} style={{ fontSize: 14, marginBottom: 4 }}>
              {service.service_name}
            </Typography.Title>
            {service.window_id === null && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {text('claims.components.noWindowNote')}
              </Typography.Text>
            )}
            <ul style={{ listStyle: 'none', paddingInlineStart: 0, margin: 0 }}>
              {own.map((component) => (
                <li key={component.id} style={{ padding: '4px 0', display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
                  <Typography.Text style={{ flex: '1 1 160px' }}>{component.name}</Typography.Text>
                  {onClaim.has(component.id) ? (
                    // Plain text beside a green tick: antd's green text is too faint to read (axe colour contrast).
                    <Typography.Text>
                      <CheckCircleTwoTone twoToneColor="#389e0d" aria-hidden /> {text('claims.components.added')}
                    </Typography.Text>
                  ) : service.window_id === null ? (
                    <Button size="small" disabled={busy} aria-label={text('claims.components.addLabel', { component: component.name })} onClick={() => onAdd([component.id])}>
                      {text('claims.components.add')}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      <Button
        type="primary"
        ghost
        disabled={addAll.length === 0}
        loading={busy}
        aria-label={text('claims.components.addAllLabel')}
        onClick={() => onAdd(addAll.map((component) => component.id))}
      >
        {text('claims.components.addAll')}
      </Button>
    </>
  );
}
