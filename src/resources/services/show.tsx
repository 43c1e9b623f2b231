// One quality service: its details and, in tabs, its components, supplementary
// questions and claim windows (local) or indicator groups, indicators and
// achievement dates (national). Commissioning Management adds, edits and
// removes them here (removal asks first); the database checks every change.
import { EditButton } from '@refinedev/antd';
import { ResultTitle, Show } from '../../components/page.tsx';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { useList, useOne, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Empty, Result, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatDateOnly, todayInLondon } from '../../lib/calendar-dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { canAccess } from '../../providers/access.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import { useRemoveRow } from './editor.tsx';
import { AchievementDateEditor, ComponentEditor, GroupEditor, IndicatorEditor, QuestionEditor, WindowEditor } from './editors.tsx';
import dictionary from './i18n.ts';
import { basisKey, claimModeKey, componentTagKey, questionKindKey } from './labels.ts';
import { KindTag } from './list.tsx';
import {
  ACHIEVEMENT_DATES,
  CLAIM_WINDOWS,
  INDICATOR_GROUPS,
  INDICATORS,
  QUALITY_SERVICES,
  SERVICE_COMPONENTS,
  SERVICE_QUESTIONS,
  windowState,
  type AchievementDate,
  type ClaimWindow,
  type Indicator,
  type IndicatorGroup,
  type QualityService,
  type ServiceComponent,
  type ServiceQuestion,
} from './model.ts';

type Editing =
  | { what: 'component'; record?: ServiceComponent }
  | { what: 'question'; record?: ServiceQuestion }
  | { what: 'window'; record?: ClaimWindow }
  | { what: 'group'; record?: IndicatorGroup }
  | { what: 'indicator'; record?: Indicator; groupId?: string }
  | { what: 'date'; record?: AchievementDate };

function useChildren<T extends { id: string }>(resource: string, serviceId: string | undefined, enabled: boolean, sorters: { field: string; order: 'asc' | 'desc' }[]) {
  return useList<T, HttpError>({
    resource,
    filters: [{ field: 'service_id', operator: 'eq', value: serviceId }],
    sorters,
    pagination: { mode: 'off' },
    errorNotification: false,
    queryOptions: { enabled: enabled && !!serviceId },
  });
}

function RowActions({ name, onEdit, onRemove, removing }: { name: string; onEdit: () => void; onRemove: () => void; removing: boolean }) {
  const text = useAreaText(dictionary);
  return (
    <Space size="small">
      <Button size="small" aria-label={text('services.show.editLabel', { name })} onClick={onEdit}>
        {text('services.show.editRow')}
      </Button>
      <Button size="small" danger loading={removing} aria-label={text('services.show.removeLabel', { name })} onClick={onRemove}>
        {text('services.show.remove')}
      </Button>
    </Space>
  );
}

function TabBody({ error, action, children }: { error: HttpError | null; action?: ReactNode; children: ReactNode }) {
  const text = useAreaText(dictionary);
  return (
    <>
      {action && <div style={{ marginBottom: 12 }}>{action}</div>}
      {error ? <Alert type="error" showIcon message={text('services.show.childrenError')} description={error.message} /> : children}
    </>
  );
}

export function ComponentPrice({ component }: { component: ServiceComponent }) {
  const text = useAreaText(dictionary);
  if (component.kind === 'unit') return <>{text('services.show.perUnit', { price: formatMoney(component.unit_price) })}</>;
  if (component.kind === 'retainer') {
    return (
      <>
        {text('services.show.fixed', { price: formatMoney(component.fixed_amount) })}
        {component.information && (
          <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
            {component.information}
          </Typography.Paragraph>
        )}
      </>
    );
  }
  return <Typography.Text type="secondary">{text('services.show.noPayment')}</Typography.Text>;
}

export function ServiceShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id } = useParams<{ id: string }>();
  const context = useCurrentContext();
  const mayEdit = canAccess(context, 'services', 'edit').can;
  const [editing, setEditing] = useState<Editing | null>(null);
  const today = todayInLondon();

  const { result: service, query } = useOne<QualityService, HttpError>({
    resource: QUALITY_SERVICES,
    id: id ?? '',
    errorNotification: false,
    queryOptions: { enabled: !!id },
  });
  const local = service?.kind === 'local';
  const national = service?.kind === 'national';
  const byPosition = [
    { field: 'position', order: 'asc' as const },
    { field: 'created_at', order: 'asc' as const },
  ];
  const components = useChildren<ServiceComponent>(SERVICE_COMPONENTS, id, local, byPosition);
  const questions = useChildren<ServiceQuestion>(SERVICE_QUESTIONS, id, local, byPosition);
  const windows = useChildren<ClaimWindow>(CLAIM_WINDOWS, id, local, [{ field: 'period_starts_on', order: 'asc' }]);
  const groups = useChildren<IndicatorGroup>(INDICATOR_GROUPS, id, national, byPosition);
  const indicators = useChildren<Indicator>(INDICATORS, id, national, byPosition);
  const dates = useChildren<AchievementDate>(ACHIEVEMENT_DATES, id, national, [{ field: 'achievement_date', order: 'asc' }]);
  const { remove, removing } = useRemoveRow(service?.name ?? '');

  if (query.isError) {
    return (
      <Show goBack={false} title={text('services.titles.show')} headerButtons={() => null}>
        <Alert type="error" showIcon message={text('services.show.loadError')} description={query.error?.message} />
      </Show>
    );
  }
  if (query.isSuccess && !service) {
    return (
      <Result
        status="404"
        title={<ResultTitle>{text('services.show.notFound')}</ResultTitle>}
        subTitle={text('services.show.notFoundHelp')}
        extra={<Link to={path('/services')}>{text('services.show.backToList')}</Link>}
      />
    );
  }

  const addButton = (label: string, next: Editing) =>
    mayEdit ? (
      <Button type="primary" onClick={() => setEditing(next)}>
        {label}
      </Button>
    ) : undefined;
  const yesNo = (value: boolean) => text(value ? 'services.show.yes' : 'services.show.no');
  const nextPosition = (rows: { position: number }[]) => rows.reduce((max, row) => Math.max(max, row.position), 0) + 1;

  const details = service && (
    <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS}>
      <Descriptions.Item label={text('services.fields.kind')}>
        <KindTag kind={service.kind} />
      </Descriptions.Item>
      <Descriptions.Item label={text('services.fields.financialYear')}>{service.financial_year}</Descriptions.Item>
      <Descriptions.Item label={text('services.fields.paymentType')}>{service.payment_type}</Descriptions.Item>
      <Descriptions.Item label={text('services.fields.dates')}>
        {formatDateOnly(service.starts_on)} – {formatDateOnly(service.ends_on)}
      </Descriptions.Item>
      <Descriptions.Item label={text('services.fields.description')} span="filled">
        {service.description ? (
          <span style={{ whiteSpace: 'pre-wrap' }}>{service.description}</span>
        ) : (
          <Typography.Text type="secondary">{text('services.show.noDescription')}</Typography.Text>
        )}
      </Descriptions.Item>
      {service.kind === 'local' ? (
        <>
          <Descriptions.Item label={text('services.fields.claimMode')}>{text(claimModeKey(service.claim_mode))}</Descriptions.Item>
          <Descriptions.Item label={text('services.fields.participationOnly')}>{yesNo(service.participation_only)}</Descriptions.Item>
        </>
      ) : (
        <>
          <Descriptions.Item label={text('services.fields.noDeclaration')}>{yesNo(service.no_declaration_required)}</Descriptions.Item>
          <Descriptions.Item label={text('services.fields.noApproval')}>{yesNo(service.no_approval_required)}</Descriptions.Item>
        </>
      )}
      <Descriptions.Item label={text('services.fields.updated')} span="filled">
        {formatUkDateTime(service.updated_at)}
      </Descriptions.Item>
    </Descriptions>
  );

  const componentRows = components.result.data;
  const questionRows = questions.result.data;
  const windowRows = windows.result.data;
  const groupRows = groups.result.data;
  const indicatorRows = indicators.result.data;
  const dateRows = dates.result.data;

  const localTabs = service
    ? [
        {
          key: 'components',
          label: text('services.show.tabComponents', { n: componentRows.length }),
          children: (
            <TabBody error={components.query.error} action={addButton(text('services.show.addComponent'), { what: 'component' })}>
              <Table<ServiceComponent>
                dataSource={componentRows}
                rowKey="id"
                size="small"
                loading={components.query.isLoading}
                pagination={false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('services.show.componentsEmpty')} /> }}
              >
                <Table.Column<ServiceComponent> title={text('services.fields.componentName')} dataIndex="name" width={230} render={(v: string) => <Typography.Text strong>{v}</Typography.Text>} />
                <Table.Column<ServiceComponent> title={text('services.fields.componentKind')} width={120} render={(_, row) => <Tag>{text(componentTagKey(row.kind))}</Tag>} />
                <Table.Column<ServiceComponent> title={text('services.fields.price')} width={230} render={(_, row) => <ComponentPrice component={row} />} />
                <Table.Column<ServiceComponent>
                  title={text('services.fields.evidence')}
                  render={(_, row) =>
                    row.evidence_required ? (
                      <>
                        <Typography.Paragraph style={{ margin: 0, fontSize: 13 }}>{row.evidence_text}</Typography.Paragraph>
                        <Space size={4} wrap aria-label={text('services.fields.fileTypes')}>
                          {row.accepted_file_types.map((t) => (
                            <Tag key={t}>{t.toUpperCase()}</Tag>
                          ))}
                        </Space>
                      </>
                    ) : (
                      <Typography.Text type="secondary">{text('services.show.noEvidence')}</Typography.Text>
                    )
                  }
                />
                {mayEdit && (
                  <Table.Column<ServiceComponent>
                    title={text('services.fields.actions')}
                    width={160}
                    render={(_, row) => (
                      <RowActions
                        name={row.name}
                        removing={removing === row.id}
                        onEdit={() => setEditing({ what: 'component', record: row })}
                        onRemove={() => void remove(SERVICE_COMPONENTS, row.id, row.name)}
                      />
                    )}
                  />
                )}
              </Table>
            </TabBody>
          ),
        },
        {
          key: 'questions',
          label: text('services.show.tabQuestions', { n: questionRows.length }),
          children: (
            <TabBody error={questions.query.error} action={addButton(text('services.show.addQuestion'), { what: 'question' })}>
              <Table<ServiceQuestion>
                dataSource={questionRows}
                rowKey="id"
                size="small"
                loading={questions.query.isLoading}
                pagination={false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('services.show.questionsEmpty')} /> }}
              >
                <Table.Column<ServiceQuestion> title={text('services.fields.question')} dataIndex="question" />
                <Table.Column<ServiceQuestion> title={text('services.fields.questionKind')} width={200} render={(_, row) => text(questionKindKey(row.kind))} />
                <Table.Column<ServiceQuestion>
                  title={text('services.fields.required')}
                  width={110}
                  render={(_, row) => (row.required ? text('services.show.yes') : text('services.show.optional'))}
                />
                {mayEdit && (
                  <Table.Column<ServiceQuestion>
                    title={text('services.fields.actions')}
                    width={160}
                    render={(_, row) => (
                      <RowActions
                        name={row.question}
                        removing={removing === row.id}
                        onEdit={() => setEditing({ what: 'question', record: row })}
                        onRemove={() => void remove(SERVICE_QUESTIONS, row.id, row.question)}
                      />
                    )}
                  />
                )}
              </Table>
            </TabBody>
          ),
        },
        {
          key: 'windows',
          label: text('services.show.tabWindows', { n: windowRows.length }),
          children: (
            <TabBody error={windows.query.error} action={addButton(text('services.show.addWindow'), { what: 'window' })}>
              <Table<ClaimWindow>
                dataSource={windowRows}
                rowKey="id"
                size="small"
                loading={windows.query.isLoading}
                pagination={false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('services.show.windowsEmpty')} /> }}
              >
                <Table.Column<ClaimWindow> title={text('services.fields.periodLabel')} dataIndex="period_label" render={(v: string) => <Typography.Text strong>{v}</Typography.Text>} />
                <Table.Column<ClaimWindow>
                  title={text('services.fields.dates')}
                  render={(_, row) => `${formatDateOnly(row.period_starts_on)} – ${formatDateOnly(row.period_ends_on)}`}
                />
                <Table.Column<ClaimWindow> title={text('services.fields.opensOn')} render={(_, row) => formatDateOnly(row.opens_on)} />
                <Table.Column<ClaimWindow> title={text('services.fields.closesOn')} render={(_, row) => formatDateOnly(row.closes_on)} />
                <Table.Column<ClaimWindow>
                  title={text('services.fields.windowState')}
                  render={(_, row) => {
                    const state = windowState(row, today);
                    return state === 'open' ? (
                      <Tag color="green">{text('services.show.open')}</Tag>
                    ) : state === 'upcoming' ? (
                      <Tag color="blue">{text('services.show.upcoming')}</Tag>
                    ) : (
                      <Tag>{text('services.show.closed')}</Tag>
                    );
                  }}
                />
                {mayEdit && (
                  <Table.Column<ClaimWindow>
                    title={text('services.fields.actions')}
                    width={160}
                    render={(_, row) => (
                      <RowActions
                        name={row.period_label}
                        removing={removing === row.id}
                        onEdit={() => setEditing({ what: 'window', record: row })}
                        onRemove={() => void remove(CLAIM_WINDOWS, row.id, row.period_label)}
                      />
                    )}
                  />
                )}
              </Table>
            </TabBody>
          ),
        },
      ]
    : [];

  const nationalTabs = service
    ? [
        {
          key: 'indicators',
          label: text('services.show.tabIndicators', { n: indicatorRows.length }),
          children: (
            <TabBody error={groups.query.error ?? indicators.query.error} action={addButton(text('services.show.addGroup'), { what: 'group' })}>
              {groupRows.length === 0 && !groups.query.isLoading && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('services.show.groupsEmpty')} />}
              {groupRows.map((group) => {
                const rows = indicatorRows.filter((i) => i.group_id === group.id);
                const label = `${group.code} · ${group.name}`;
                return (
                  <Card
                    key={group.id}
                    size="small"
                    style={{ marginBottom: 16 }}
                    title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{label}</Typography.Title>}
                    extra={
                      mayEdit && (
                        <Space size="small">
                          <Button size="small" onClick={() => setEditing({ what: 'indicator', groupId: group.id })}>
                            {text('services.show.addIndicator')}
                          </Button>
                          <RowActions
                            name={label}
                            removing={removing === group.id}
                            onEdit={() => setEditing({ what: 'group', record: group })}
                            onRemove={() => void remove(INDICATOR_GROUPS, group.id, label, text('services.show.removeGroupContent', { name: label, service: service.name }))}
                          />
                        </Space>
                      )
                    }
                  >
                    <Table<Indicator>
                      dataSource={rows}
                      rowKey="id"
                      size="small"
                      pagination={false}
                      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('services.show.indicatorsEmpty')} /> }}
                    >
                      <Table.Column<Indicator> title={text('services.fields.code')} dataIndex="code" width={110} render={(v: string) => <Typography.Text strong>{v}</Typography.Text>} />
                      <Table.Column<Indicator> title={text('services.fields.indicatorDescription')} dataIndex="description" />
                      <Table.Column<Indicator> title={text('services.fields.points')} dataIndex="points" width={80} align="right" />
                      <Table.Column<Indicator>
                        title={text('services.fields.payment')}
                        width={170}
                        render={(_, row) => `${formatMoney(row.payment_rate)} ${text(basisKey(row.payment_basis))}`}
                      />
                      <Table.Column<Indicator>
                        title={text('services.fields.thresholds')}
                        width={120}
                        render={(_, row) =>
                          row.lower_threshold === null && row.upper_threshold === null ? '–' : `${row.lower_threshold ?? '–'}% – ${row.upper_threshold ?? '–'}%`
                        }
                      />
                      {mayEdit && (
                        <Table.Column<Indicator>
                          title={text('services.fields.actions')}
                          width={160}
                          render={(_, row) => (
                            <RowActions
                              name={row.code}
                              removing={removing === row.id}
                              onEdit={() => setEditing({ what: 'indicator', record: row })}
                              onRemove={() => void remove(INDICATORS, row.id, row.code)}
                            />
                          )}
                        />
                      )}
                    </Table>
                  </Card>
                );
              })}
            </TabBody>
          ),
        },
        {
          key: 'dates',
          label: text('services.show.tabAchievement', { n: dateRows.length }),
          children: (
            <TabBody error={dates.query.error} action={addButton(text('services.show.addDate'), { what: 'date' })}>
              <Table<AchievementDate>
                dataSource={dateRows}
                rowKey="id"
                size="small"
                loading={dates.query.isLoading}
                pagination={false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('services.show.datesEmpty')} /> }}
              >
                <Table.Column<AchievementDate> title={text('services.fields.achievementDate')} render={(_, row) => formatDateOnly(row.achievement_date)} />
                <Table.Column<AchievementDate>
                  title={text('services.fields.isPaymentDate')}
                  render={(_, row) => (row.is_payment_date ? <Tag color="gold">{text('services.show.paymentDate')}</Tag> : '–')}
                />
                {mayEdit && (
                  <Table.Column<AchievementDate>
                    title={text('services.fields.actions')}
                    width={160}
                    render={(_, row) => (
                      <RowActions
                        name={formatDateOnly(row.achievement_date)}
                        removing={removing === row.id}
                        onEdit={() => setEditing({ what: 'date', record: row })}
                        onRemove={() => void remove(ACHIEVEMENT_DATES, row.id, formatDateOnly(row.achievement_date))}
                      />
                    )}
                  />
                )}
              </Table>
            </TabBody>
          ),
        },
      ]
    : [];

  const close = () => setEditing(null);

  return (
    <Show
      goBack={false}
      title={service ? service.name : text('services.titles.show')}
      isLoading={query.isLoading}
      headerButtons={() =>
        mayEdit && service ? (
          <EditButton resource="services" recordItemId={service.id}>
            {text('services.show.edit')}
          </EditButton>
        ) : null
      }
    >
      {service && (
        <Tabs
          items={[
            { key: 'details', label: text('services.show.tabDetails'), children: details },
            ...(service.kind === 'local' ? localTabs : nationalTabs),
          ]}
        />
      )}
      {service && editing?.what === 'component' && (
        <ComponentEditor service={service} record={editing.record} onClose={close} nextPosition={nextPosition(componentRows)} />
      )}
      {service && editing?.what === 'question' && (
        <QuestionEditor service={service} record={editing.record} onClose={close} nextPosition={nextPosition(questionRows)} />
      )}
      {service && editing?.what === 'window' && <WindowEditor service={service} record={editing.record} onClose={close} />}
      {service && editing?.what === 'group' && (
        <GroupEditor service={service} record={editing.record} onClose={close} nextPosition={nextPosition(groupRows)} />
      )}
      {service && editing?.what === 'indicator' && (
        <IndicatorEditor service={service} record={editing.record} groupId={editing.groupId} groups={groupRows} onClose={close} />
      )}
      {service && editing?.what === 'date' && <AchievementDateEditor service={service} record={editing.record} onClose={close} />}
    </Show>
  );
}
