// One achievement (/:org/achievement/:id): the job aids' achievement screen.
// The indicator-group summary ("submitted n of m" from the view
// achievement_missing_data), then the selected group's entry: per indicator
// its description, basis, thresholds, Current values (last submitted) and New
// Values (numerator and denominator, or a count), the group's own value where
// it has one; Notes; Save Work in Progress, Submit Achievement Data (after a
// confirmation listing what will be submitted) and Discard New Values. When
// public.achievement_change_problem names a rule, the page is read-only and
// quotes it. Below, every submission with its notes and figures. The points
// and payment shown are the database's.
import { useNotification, useOne, type HttpError } from '@refinedev/core';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Input, Result, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { ResultTitle, Show } from '../../components/page.tsx';
import { describeRpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS, KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { ACHIEVEMENT_COMMISSIONERS, ACHIEVEMENT_MONEY_PROVIDER_READERS, canAccess } from '../../providers/access.ts';
import { useRowsOf } from '../claims/data.ts';
import { achievementChangeProblem, discardAchievementWork, saveAchievementValues, submitAchievement } from './api.ts';
import dictionary from './i18n.ts';
import {
  ACHIEVEMENT_SELECT,
  byPosition,
  checkEntry,
  DATE_SELECT,
  GROUP_SELECT,
  GROUP_VALUE_SELECT,
  groupValueOf,
  INDICATOR_SELECT,
  inputOf,
  longDate,
  MISSING_DATA,
  NOTES_MAX,
  parseWhole,
  sameInput,
  SERVICE_SELECT,
  SUBMISSION_SELECT,
  thresholdText,
  typedPercent,
  formatPercent,
  formatPoints,
  valuesText,
  VALUE_SELECT,
  type Achievement,
  type AchievementDate,
  type AchievementGroupValue,
  type AchievementSubmission,
  type AchievementValue,
  type EntryCheck,
  type EntryInput,
  type Indicator,
  type IndicatorGroup,
  type MissingDataRow,
  type NationalService,
  type SubmitAnswer,
  type ValuePayload,
} from './model.ts';
import { AchievementStateTags, PaymentDateTag } from './status.tsx';

type Feedback = { type: 'success' | 'error' | 'info' | 'warning'; message: string; description?: ReactNode };

function SectionTitle({ children, id }: { children: ReactNode; id?: string }) {
  return (
    <Typography.Title level={2} id={id} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

/** The page's h1, wrapping onto a second line on a phone instead of being cut off (a service name and a date are long). */
function WrappingTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={1} className="refine-pageHeader-title" style={{ fontSize: 20, lineHeight: 1.4, margin: 0, whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
      {children}
    </Typography.Title>
  );
}

export function AchievementShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const [params] = useSearchParams();
  const { id = '' } = useParams<{ id: string }>();
  const one = useOne<Achievement, HttpError>({ resource: 'achievements', id, meta: { select: ACHIEVEMENT_SELECT }, errorNotification: false });
  const practice = params.get('practice');
  const backTo = path(`/achievement${practice ? `?practice=${encodeURIComponent(practice)}` : ''}`);
  const back = <Link to={backTo}>{text('achievement.show.back')}</Link>;

  if (one.query.isLoading) return <Skeleton active aria-busy="true" />;
  const achievement = one.result;
  if (one.query.error || !achievement) {
    return (
      <Result
        status={one.query.error ? 'error' : '404'}
        title={<ResultTitle>{text('achievement.show.notFound')}</ResultTitle>}
        subTitle={one.query.error?.message}
        extra={back}
      />
    );
  }
  return <AchievementPage achievement={achievement} back={back} refetchAchievement={() => one.query.refetch()} />;
}

function AchievementPage({ achievement, back, refetchAchievement }: { achievement: Achievement; back: ReactNode; refetchAchievement: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const roles = context?.roles ?? [];
  const moneyReader = roles.some((role) => ACHIEVEMENT_MONEY_PROVIDER_READERS.includes(role) || ACHIEVEMENT_COMMISSIONERS.includes(role));
  const mayEnter = canAccess(context, 'achievement', 'edit').can;
  const [params, setParams] = useSearchParams();

  const service = useOne<NationalService, HttpError>({ resource: 'quality_services', id: achievement.service_id, meta: { select: SERVICE_SELECT }, errorNotification: false });
  const provider = useOne<{ id: string; ods_code: string; name: string }, HttpError>({
    resource: 'organisations',
    id: achievement.provider_id,
    meta: { select: 'id,ods_code,name' },
    errorNotification: false,
  });
  const dates = useRowsOf<AchievementDate>('achievement_dates', 'service_id', achievement.service_id, DATE_SELECT);
  const groups = useRowsOf<IndicatorGroup>('indicator_groups', 'service_id', achievement.service_id, GROUP_SELECT, 'position');
  const indicators = useRowsOf<Indicator>('indicators', 'service_id', achievement.service_id, INDICATOR_SELECT, 'position');
  const values = useRowsOf<AchievementValue>('achievement_values', 'achievement_id', achievement.id, VALUE_SELECT);
  const groupValues = useRowsOf<AchievementGroupValue>('achievement_group_values', 'achievement_id', achievement.id, GROUP_VALUE_SELECT);
  const missing = useRowsOf<MissingDataRow>(MISSING_DATA, 'achievement_id', achievement.id, '*');
  const submissions = useRowsOf<AchievementSubmission>('achievement_submissions', 'achievement_id', achievement.id, SUBMISSION_SELECT, 'version');
  const problem = useQuery({
    queryKey: ['achievement_change_problem', achievement.id, achievement.updated_at],
    queryFn: () => achievementChangeProblem(achievement.id),
    enabled: mayEnter,
    retry: false,
  });
  const [notes, setNotes] = useState('');
  const [feedback, setFeedback] = useState<Feedback | null>(null);

  const reload = () => Promise.all([refetchAchievement(), values.refetch(), groupValues.refetch(), missing.refetch(), submissions.refetch(), problem.refetch()]);

  const parts = [dates, groups, indicators, values, groupValues];
  const loading = service.query.isLoading || parts.some((part) => part.isLoading);
  const loadError = service.query.error ?? parts.find((part) => part.error)?.error ?? null;
  const orderedGroups = useMemo(() => byPosition(groups.rows ?? []), [groups.rows]);
  const orderedIndicators = useMemo(() => byPosition(indicators.rows ?? []), [indicators.rows]);
  const wantedGroup = params.get('group');
  const selectedGroup = orderedGroups.find((g) => g.id === wantedGroup) ?? orderedGroups[0];
  const isPaymentDate = (dates.rows ?? []).some((d) => d.achievement_date === achievement.achievement_date && d.is_payment_date);
  const rule = problem.data ?? null;
  const editable = mayEnter && problem.isSuccess && rule === null;
  const serviceName = service.result?.name ?? '';
  const title = serviceName ? text('achievement.show.title', { service: serviceName, date: longDate(achievement.achievement_date) }) : formatDateOnly(achievement.achievement_date);
  const practiceQuery = params.get('practice');
  const resultsLink = path(
    `/achievement-results?${new URLSearchParams({
      ...(practiceQuery ? { practice: practiceQuery } : {}),
      service: achievement.service_id,
      date: achievement.achievement_date,
    }).toString()}`,
  );

  const chooseGroup = (groupId: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set('group', groupId);
        return next;
      },
      { replace: true },
    );

  // A new set of saved values (after Save, Submit or Discard) starts the entry afresh from them.
  const signature = (values.rows ?? []).map((v) => `${v.indicator_id}:${v.updated_at}:${v.has_new}`).join('|') + '#' + (groupValues.rows ?? []).map((v) => `${v.group_id}:${v.updated_at}`).join('|');

  return (
    <Show title={<WrappingTitle>{title}</WrappingTitle>} goBack={false} headerButtons={() => back}>
      <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }} title={<SectionTitle>{text('achievement.show.details')}</SectionTitle>}>
        <Descriptions.Item label={text('achievement.fields.practice')}>
          {provider.result ? `${provider.result.name} (${provider.result.ods_code})` : '–'}
        </Descriptions.Item>
        <Descriptions.Item label={text('achievement.fields.service')}>{serviceName || '–'}</Descriptions.Item>
        <Descriptions.Item label={text('achievement.fields.date')}>
          <Space size={8} wrap>
            <span data-testid="achievement-date">{formatDateOnly(achievement.achievement_date)}</span>
            {isPaymentDate && <PaymentDateTag />}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={text('achievement.fields.state')}>
          <span data-testid="achievement-state">
            <AchievementStateTags achievement={achievement} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={text('achievement.fields.source')}>{text(`achievement.source.${achievement.source}`)}</Descriptions.Item>
        <Descriptions.Item label={text('achievement.fields.lastSubmitted')}>
          {achievement.submitted_at ? `${formatUkDateTime(achievement.submitted_at)} (v${achievement.version})` : '–'}
        </Descriptions.Item>
        {moneyReader && (
          <Descriptions.Item label={text('achievement.fields.points')}>
            <span data-testid="achievement-points">{formatPoints(achievement.points)}</span>
          </Descriptions.Item>
        )}
        {moneyReader && (
          <Descriptions.Item label={text('achievement.fields.payment')}>
            <Space size={8} wrap>
              <Typography.Text strong data-testid="achievement-payment">
                {formatMoney(achievement.payment)}
              </Typography.Text>
              {achievement.calculated_at && <Link to={resultsLink}>{text('achievement.show.resultsLink')}</Link>}
            </Space>
          </Descriptions.Item>
        )}
      </Descriptions>

      {mayEnter && rule && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="read-only"
          message={text('achievement.show.readOnlyTitle')}
          description={text('achievement.show.readOnlyRule', { rule })}
        />
      )}
      {mayEnter && problem.error && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={text('achievement.show.problemError')} description={describeRpcError(problem.error).description} />
      )}
      {!mayEnter && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={text('achievement.show.readOnlyRole', { org: context?.label ?? '' })} />}
      {achievement.recalculation_requested_at && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            achievement.recalculation_reason
              ? text('achievement.show.recalculation', { reason: achievement.recalculation_reason })
              : text('achievement.show.recalculationNoReason')
          }
        />
      )}
      {feedback && !editable && (
        <Alert
          type={feedback.type}
          showIcon
          closable
          onClose={() => setFeedback(null)}
          role={feedback.type === 'error' ? 'alert' : 'status'}
          style={{ marginBottom: 16 }}
          message={feedback.message}
          description={feedback.description}
          data-testid="achievement-feedback"
        />
      )}

      {loadError ? (
        <Alert type="error" showIcon message={text('achievement.list.loadError')} description={loadError.message} action={<Button onClick={() => void reload()}>{text('achievement.list.retry')}</Button>} />
      ) : loading || (mayEnter && problem.isLoading) ? (
        <Skeleton active aria-busy="true" />
      ) : (
        <>
          <GroupSummary
            groups={orderedGroups}
            indicators={orderedIndicators}
            values={values.rows ?? []}
            missing={missing.rows ?? []}
            loading={missing.isLoading}
            selectedId={selectedGroup?.id}
            editable={editable}
            onChoose={chooseGroup}
          />
          {selectedGroup ? (
            <Entry
              key={signature}
              achievement={achievement}
              groups={orderedGroups}
              indicators={orderedIndicators}
              values={values.rows ?? []}
              groupValues={groupValues.rows ?? []}
              group={selectedGroup}
              editable={editable}
              notes={notes}
              setNotes={setNotes}
              feedback={
                feedback && (
                  <Alert
                    type={feedback.type}
                    showIcon
                    closable
                    onClose={() => setFeedback(null)}
                    role={feedback.type === 'error' ? 'alert' : 'status'}
                    style={{ marginBottom: 16 }}
                    message={feedback.message}
                    description={feedback.description}
                    data-testid="achievement-feedback"
                  />
                )
              }
              setFeedback={setFeedback}
              reload={reload}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.list.noDates')} />
          )}
        </>
      )}
      <History submissions={submissions.rows ?? []} loading={submissions.isLoading} moneyReader={moneyReader} />
    </Show>
  );
}

/** The indicator groups with "submitted n of m", what is missing, New Values saved, and the group to show. */
function GroupSummary({
  groups,
  indicators,
  values,
  missing,
  loading,
  selectedId,
  editable,
  onChoose,
}: {
  groups: IndicatorGroup[];
  indicators: Indicator[];
  values: AchievementValue[];
  missing: MissingDataRow[];
  loading: boolean;
  selectedId: string | undefined;
  editable: boolean;
  onChoose: (groupId: string) => void;
}) {
  const text = useAreaText(dictionary);
  type Row = { group: IndicatorGroup; count: MissingDataRow | undefined; pending: number };
  const rows: Row[] = groups.map((group) => ({
    group,
    count: missing.find((row) => row.group_id === group.id),
    pending: values.filter((v) => v.has_new && indicators.some((i) => i.id === v.indicator_id && i.group_id === group.id)).length,
  }));
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('achievement.show.summary')}</SectionTitle>}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {editable ? text('achievement.show.summaryIntro') : text('achievement.show.summaryIntroReadOnly')}
      </Typography.Paragraph>
      <Table<Row>
        dataSource={rows}
        rowKey={(row) => row.group.id}
        size="small"
        loading={loading}
        pagination={false}
        aria-label={text('achievement.show.summaryLabel')}
        scroll={TABLE_SCROLL}
      >
        <Table.Column<Row>
          title={text('achievement.show.group')}
          key="group"
          {...KEY_COLUMN}
          width={200}
          render={(_, row) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{row.group.code}</Typography.Text>
              <Typography.Text>{row.group.name}</Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Row>
          title={text('achievement.show.submittedOf')}
          key="count"
          render={(_, row) =>
            row.count ? (
              <Tag color={row.count.submitted >= row.count.possible ? 'green' : 'gold'} data-testid={`group-count-${row.group.code}`} style={{ marginInlineEnd: 0 }}>
                {text('achievement.show.nOfM', { submitted: row.count.submitted, possible: row.count.possible })}
              </Tag>
            ) : (
              '–'
            )
          }
        />
        <Table.Column<Row>
          title={text('achievement.show.missing')}
          key="missing"
          render={(_, row) => {
            const codes = row.count?.missing_indicator_codes ?? [];
            return codes.length > 0 ? codes.join(', ') : text('achievement.show.none');
          }}
        />
        <Table.Column<Row>
          title={text('achievement.show.pending')}
          key="pending"
          align="right"
          render={(_, row) => <span data-testid={`group-pending-${row.group.code}`}>{row.pending}</span>}
        />
        <Table.Column<Row>
          title={<span className="visually-hidden">{text('achievement.fields.action')}</span>}
          key="choose"
          render={(_, row) =>
            row.group.id === selectedId ? (
              <Typography.Text type="secondary">{text('achievement.show.selected')}</Typography.Text>
            ) : (
              <Button size="small" onClick={() => onChoose(row.group.id)} aria-label={`${editable ? text('achievement.show.select') : text('achievement.show.selectView')}: ${row.group.code}`}>
                {editable ? text('achievement.show.select') : text('achievement.show.selectView')}
              </Button>
            )
          }
        />
      </Table>
    </Card>
  );
}

function problemText(text: ReturnType<typeof useAreaText<typeof dictionary>>, problem: NonNullable<EntryCheck['problems'][keyof EntryInput]>): string {
  return text(`achievement.entry.problem.${problem}`);
}

/** The selected group's entry (New Values of every group are kept while switching), Notes and the actions. */
function Entry({
  achievement,
  groups,
  indicators,
  values,
  groupValues,
  group,
  editable,
  notes,
  setNotes,
  feedback,
  setFeedback,
  reload,
}: {
  achievement: Achievement;
  groups: IndicatorGroup[];
  indicators: Indicator[];
  values: AchievementValue[];
  groupValues: AchievementGroupValue[];
  group: IndicatorGroup;
  editable: boolean;
  notes: string;
  setNotes: (notes: string) => void;
  /** What the last action answered, shown beside the buttons that caused it. */
  feedback: ReactNode;
  setFeedback: (feedback: Feedback | null) => void;
  reload: () => Promise<unknown>;
}) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const valueOf = (indicatorId: string) => values.find((v) => v.indicator_id === indicatorId);
  const initial = useMemo(() => Object.fromEntries(indicators.map((i) => [i.id, inputOf(values.find((v) => v.indicator_id === i.id))])) as Record<string, EntryInput>, [indicators, values]);
  const initialGroups = useMemo(
    () => Object.fromEntries(groups.map((g) => [g.id, groupValueOf(groupValues.find((v) => v.group_id === g.id))])) as Record<string, string>,
    [groups, groupValues],
  );
  const [inputs, setInputs] = useState<Record<string, EntryInput>>(initial);
  const [groupInputs, setGroupInputs] = useState<Record<string, string>>(initialGroups);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState<'save' | 'submit' | 'discard' | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Choosing another group moves the focus to its heading (keyboard and screen-reader users land on it).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [group.id]);

  const checks = useMemo(() => Object.fromEntries(indicators.map((i) => [i.id, checkEntry(i, inputs[i.id] ?? inputOf(undefined))])) as Record<string, EntryCheck>, [indicators, inputs]);
  const groupChecks = useMemo(() => Object.fromEntries(groups.map((g) => [g.id, parseWhole(groupInputs[g.id] ?? '')])), [groups, groupInputs]);
  const changed = indicators.filter((i) => !sameInput(inputs[i.id] ?? inputOf(undefined), initial[i.id] ?? inputOf(undefined)));
  const changedGroups = groups.filter((g) => g.group_value_label && (groupInputs[g.id] ?? '').trim() !== (initialGroups[g.id] ?? '').trim());
  const withProblems = indicators.filter((i) => Object.keys(checks[i.id]?.problems ?? {}).length > 0);
  const groupsWithProblems = groups.filter((g) => g.group_value_label && !groupChecks[g.id]?.ok);
  const hasNew = values.some((v) => v.has_new) || groupValues.some((v) => v.has_new);

  const setInput = (indicatorId: string, field: keyof EntryInput, value: string) =>
    setInputs((previous) => ({ ...previous, [indicatorId]: { ...(previous[indicatorId] ?? inputOf(undefined)), [field]: value } }));

  /** False (and says why) when a typed value breaks a rule. */
  function checkAll(): boolean {
    setAttempted(true);
    if (withProblems.length === 0 && groupsWithProblems.length === 0) return true;
    const codes = [...withProblems.map((i) => i.code), ...groupsWithProblems.map((g) => g.code)];
    setFeedback({ type: 'error', message: text('achievement.entry.saveFailed'), description: `${text('achievement.entry.fixFirst')} (${codes.join(', ')})` });
    return false;
  }

  function payload(): { values: ValuePayload[]; groups: Array<{ group_id: string; value: number | null }> } {
    return {
      values: changed.map((i) => checks[i.id]!.payload!),
      groups: changedGroups.map((g) => {
        const parsed = groupChecks[g.id]!;
        return { group_id: g.id, value: parsed.ok ? parsed.value : null };
      }),
    };
  }

  async function saveChanges(): Promise<boolean> {
    const { values: valuePayload, groups: groupPayload } = payload();
    try {
      await saveAchievementValues(achievement.id, valuePayload, groupPayload);
      return true;
    } catch (error) {
      const problem = describeRpcError(error);
      setFeedback({ type: 'error', message: text('achievement.entry.saveFailed'), description: problem.description || problem.message });
      return false;
    }
  }

  async function save() {
    setFeedback(null);
    if (!checkAll()) return;
    if (changed.length === 0 && changedGroups.length === 0) {
      setFeedback({ type: 'info', message: text('achievement.entry.nothingToSave') });
      return;
    }
    setBusy('save');
    const saved = await saveChanges();
    setBusy(null);
    if (saved) {
      notify?.({ type: 'success', message: text('achievement.entry.saved') });
      setFeedback({ type: 'success', message: text('achievement.entry.saved') });
      await reload();
    }
  }

  /**
   * What Submit will apply once the typed values are saved: every indicator (and group value) with New
   * Values that differ from its current ones — a New Value left empty clears the current one.
   */
  function pendingSummary(): Array<{ key: string; label: string; now: string; was: string | null }> {
    const lines: Array<{ key: string; label: string; now: string; was: string | null }> = [];
    const changedIds = new Set(changed.map((i) => i.id));
    for (const g of groups) {
      for (const i of indicators.filter((indicator) => indicator.group_id === g.id)) {
        const current = valueOf(i.id);
        if (!changedIds.has(i.id) && !current?.has_new) continue;
        const typed = checks[i.id]?.payload;
        const now = typed ? valuesText(i.payment_basis, typed) : null;
        const was = current?.submitted ? valuesText(i.payment_basis, current) : null;
        if (now === was) continue;
        lines.push({ key: i.id, label: `${g.code} · ${i.code}`, now: now ?? text('achievement.entry.cleared'), was });
      }
      if (g.group_value_label) {
        const current = groupValues.find((v) => v.group_id === g.id);
        const isChanged = changedGroups.some((c) => c.id === g.id);
        if (!isChanged && !current?.has_new) continue;
        const typed = groupChecks[g.id];
        const now = typed?.ok && typed.value !== null ? String(typed.value) : null;
        const was = current?.submitted && current.value !== null ? String(current.value) : null;
        if (now === was) continue;
        lines.push({ key: g.id, label: `${g.code} · ${g.group_value_label}`, now: now ?? text('achievement.entry.cleared'), was });
      }
    }
    return lines;
  }

  async function submit() {
    setFeedback(null);
    if (!checkAll()) return;
    if (notes.length > NOTES_MAX) {
      setFeedback({ type: 'error', message: text('achievement.entry.submitFailed'), description: text('achievement.entry.notesTooLong', { max: NOTES_MAX }) });
      return;
    }
    const lines = pendingSummary();
    if (lines.length === 0) {
      setFeedback({ type: 'info', message: text('achievement.entry.nothingToSubmit') });
      return;
    }
    setBusy('submit');
    try {
      if ((changed.length > 0 || changedGroups.length > 0) && !(await saveChanges())) return;
      const date = formatDateOnly(achievement.achievement_date);
      const ok = await confirm({
        title: text('achievement.entry.submitTitle', { date }),
        content: (
          <div data-testid="submit-summary">
            <Typography.Paragraph>{text('achievement.entry.submitIntro')}</Typography.Paragraph>
            <ul style={{ paddingInlineStart: 20 }}>
              {lines.map((line) => (
                <li key={line.key}>
                  <Typography.Text strong>{line.label}</Typography.Text>: {line.now} ({line.was === null ? text('achievement.entry.wasNothing') : text('achievement.entry.was', { value: line.was })})
                </li>
              ))}
            </ul>
            <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {notes.trim() ? text('achievement.entry.submitNotes', { notes: notes.trim() }) : text('achievement.entry.submitNoNotes')}
            </Typography.Paragraph>
          </div>
        ),
        okText: text('achievement.entry.submitOk'),
        cancelText: text('achievement.entry.cancel'),
      });
      if (!ok) {
        await reload();
        return;
      }
      let answer: SubmitAnswer;
      try {
        answer = await submitAchievement(achievement.id, notes.trim() || null);
      } catch (error) {
        const problem = describeRpcError(error);
        setFeedback({ type: 'error', message: text('achievement.entry.submitFailed'), description: problem.description || problem.message });
        await reload();
        return;
      }
      setNotes('');
      const figures =
        answer.points !== null && answer.payment !== null && answer.points !== undefined && answer.payment !== undefined
          ? text('achievement.entry.submittedFigures', { points: formatPoints(answer.points), payment: formatMoney(answer.payment) })
          : text('achievement.entry.submittedWaiting');
      notify?.({ type: 'success', message: text('achievement.entry.submitted', { version: answer.version }), description: figures });
      setFeedback({ type: 'success', message: text('achievement.entry.submitted', { version: answer.version }), description: <span data-testid="submitted-figures">{figures}</span> });
      await reload();
    } finally {
      setBusy(null);
    }
  }

  async function discard() {
    setFeedback(null);
    const ok = await confirm({
      title: text('achievement.entry.discardTitle'),
      content: text('achievement.entry.discardBody', { date: formatDateOnly(achievement.achievement_date) }),
      okText: text('achievement.entry.discardOk'),
      cancelText: text('achievement.entry.cancel'),
      danger: true,
    });
    if (!ok) return;
    setBusy('discard');
    try {
      await discardAchievementWork(achievement.id);
      setFeedback({ type: 'success', message: text('achievement.entry.discarded') });
      await reload();
    } catch (error) {
      const problem = describeRpcError(error);
      setFeedback({ type: 'error', message: text('achievement.entry.discardFailed'), description: problem.description || problem.message });
    } finally {
      setBusy(null);
    }
  }

  const groupIndicators = indicators.filter((i) => i.group_id === group.id);
  const headingId = `achievement-group-${group.id}`;
  const current = groupValues.find((v) => v.group_id === group.id);
  const groupProblem = groupChecks[group.id];
  return (
    <>
      <section aria-labelledby={headingId} style={{ marginBottom: 16 }}>
        <Card
          size="small"
          title={
            <Typography.Title level={2} id={headingId} ref={headingRef} tabIndex={-1} style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>
              {text('achievement.entry.title', { code: group.code, name: group.name })}
            </Typography.Title>
          }
        >
          {groupIndicators.map((indicator) => (
            <IndicatorBlock
              key={indicator.id}
              indicator={indicator}
              value={valueOf(indicator.id)}
              input={inputs[indicator.id] ?? inputOf(undefined)}
              check={checks[indicator.id]!}
              showProblems={attempted || touched.has(indicator.id)}
              editable={editable}
              onInput={(field, value) => setInput(indicator.id, field, value)}
              onBlur={() => setTouched((previous) => new Set(previous).add(indicator.id))}
            />
          ))}
          {group.group_value_label && (
            <GroupValueField
              group={group}
              current={current}
              value={groupInputs[group.id] ?? ''}
              problem={(attempted || touched.has(group.id)) && groupProblem && !groupProblem.ok ? problemText(text, groupProblem.problem) : null}
              editable={editable}
              onChange={(value) => setGroupInputs((previous) => ({ ...previous, [group.id]: value }))}
              onBlur={() => setTouched((previous) => new Set(previous).add(group.id))}
            />
          )}
        </Card>
      </section>
      {editable && feedback}
      {editable && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <label htmlFor="achievement-notes" style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
            {text('achievement.entry.notes')}
          </label>
          <Typography.Paragraph type="secondary" id="achievement-notes-help" style={{ marginBottom: 8 }}>
            {text('achievement.entry.notesHelp')}
          </Typography.Paragraph>
          <Input.TextArea
            id="achievement-notes"
            aria-describedby="achievement-notes-help"
            value={notes}
            onChange={(event) => setNotes(event.target.value)}
            maxLength={NOTES_MAX}
            showCount
            autoSize={{ minRows: 2, maxRows: 8 }}
            status={notes.length > NOTES_MAX ? 'error' : undefined}
          />
          <Space wrap style={{ marginTop: 16 }}>
            <Button onClick={() => void save()} loading={busy === 'save'} disabled={busy !== null}>
              {text('achievement.entry.save')}
            </Button>
            <Button type="primary" onClick={() => void submit()} loading={busy === 'submit'} disabled={busy !== null}>
              {text('achievement.entry.submit')}
            </Button>
            {hasNew && (
              <Button danger onClick={() => void discard()} loading={busy === 'discard'} disabled={busy !== null}>
                {text('achievement.entry.discard')}
              </Button>
            )}
          </Space>
        </Card>
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {label}
      </Typography.Text>
      <div>{children}</div>
    </div>
  );
}

function IndicatorBlock({
  indicator,
  value,
  input,
  check,
  showProblems,
  editable,
  onInput,
  onBlur,
}: {
  indicator: Indicator;
  value: AchievementValue | undefined;
  input: EntryInput;
  check: EntryCheck;
  showProblems: boolean;
  editable: boolean;
  onInput: (field: keyof EntryInput, value: string) => void;
  onBlur: () => void;
}) {
  const text = useAreaText(dictionary);
  const titleId = `indicator-${indicator.id}`;
  const percentage = indicator.payment_basis === 'per_point';
  const basis = percentage
    ? text('achievement.entry.basisPercentage', { points: formatPoints(indicator.points), rate: formatMoney(indicator.payment_rate) })
    : text('achievement.entry.basisUnit', { rate: formatMoney(indicator.payment_rate) });
  const thresholds = percentage ? (thresholdText(indicator.lower_threshold, indicator.upper_threshold) ?? text('achievement.entry.noThresholds')) : null;
  const currentText = value?.submitted ? valuesText(indicator.payment_basis, value) : null;
  const currentPercent = value?.submitted && percentage ? typedPercent(value.numerator, value.denominator) : undefined;
  const problems = showProblems ? check.problems : {};
  const anyProblem = Object.keys(problems).length > 0;
  const fields: Array<keyof EntryInput> = percentage ? ['numerator', 'denominator'] : ['count'];
  const typed = check.payload;
  const typedPct = typed && percentage ? typedPercent(typed.numerator, typed.denominator) : undefined;
  const savedNew = value?.has_new
    ? valuesText(indicator.payment_basis, { numerator: value.new_numerator, denominator: value.new_denominator, count: value.new_count })
    : null;

  return (
    <section
      aria-labelledby={titleId}
      className="achievement-indicator"
      data-testid={`indicator-${indicator.code}`}
      style={{ border: `1px solid ${anyProblem ? '#D5281B' : '#f0f0f0'}`, borderRadius: 8, padding: 12, marginBottom: 12 }}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 8px', marginBottom: 8 }}>
        <Typography.Text strong id={titleId}>
          {indicator.code} – {indicator.description}
        </Typography.Text>
        {indicator.network && <Tag color="cyan">{text('achievement.entry.network')}</Tag>}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '8px 24px', marginBottom: 8 }}>
        <Fact label={text('achievement.entry.basis')}>{basis}</Fact>
        {thresholds && <Fact label={text('achievement.entry.thresholds')}>{thresholds}</Fact>}
        <Fact label={text('achievement.entry.current')}>
          <span data-testid={`current-${indicator.code}`}>
            {currentText ? `${currentText}${currentPercent !== undefined ? ` (${formatPercent(currentPercent)})` : ''}` : text('achievement.entry.notSubmitted')}
          </span>
        </Fact>
      </div>
      {editable ? (
        <div role="group" aria-label={`${text('achievement.entry.newValues')}: ${indicator.code}`}>
          <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>
            {text('achievement.entry.newValues')}
          </Typography.Text>
          <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: '8px 16px' }}>
            {fields.map((field) => {
              const id = `${indicator.id}-${field}`;
              const problem = problems[field];
              const fieldLabel = text(`achievement.entry.${field}`);
              return (
                <div key={field} style={{ minWidth: 0 }}>
                  <label htmlFor={id} style={{ display: 'block', fontSize: 13 }}>
                    {fieldLabel}
                  </label>
                  <Input
                    id={id}
                    inputMode="numeric"
                    autoComplete="off"
                    value={input[field]}
                    onChange={(event) => onInput(field, event.target.value)}
                    onBlur={onBlur}
                    status={problem ? 'error' : undefined}
                    aria-label={text('achievement.entry.inputLabel', { field: fieldLabel, code: indicator.code })}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-problem` : undefined}
                    style={{ width: 140 }}
                  />
                  {problem && (
                    <Typography.Text type="danger" id={`${id}-problem`} style={{ display: 'block', maxWidth: 260 }}>
                      {text(`achievement.entry.problem.${problem}`)}
                    </Typography.Text>
                  )}
                </div>
              );
            })}
            {typedPct !== undefined && (
              <Typography.Text type="secondary" style={{ alignSelf: 'center', marginTop: 18 }}>
                {text('achievement.entry.makes', { percent: formatPercent(typedPct) })}
              </Typography.Text>
            )}
          </div>
        </div>
      ) : (
        savedNew && (
          <Fact label={text('achievement.entry.newValues')}>
            <span data-testid={`new-${indicator.code}`}>{text('achievement.entry.savedNew', { values: savedNew })}</span>
          </Fact>
        )
      )}
    </section>
  );
}

function GroupValueField({
  group,
  current,
  value,
  problem,
  editable,
  onChange,
  onBlur,
}: {
  group: IndicatorGroup;
  current: AchievementGroupValue | undefined;
  value: string;
  problem: string | null;
  editable: boolean;
  onChange: (value: string) => void;
  onBlur: () => void;
}) {
  const text = useAreaText(dictionary);
  const label = text('achievement.entry.groupValue', { label: group.group_value_label ?? '' });
  const id = `group-value-${group.id}`;
  const currentText = current?.submitted && current.value !== null ? String(current.value) : text('achievement.entry.notSubmitted');
  return (
    <div style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 12 }}>
      {editable ? (
        <>
          <label htmlFor={id} style={{ display: 'block', fontWeight: 600 }}>
            {label}
          </label>
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
            {text('achievement.entry.groupValueCurrent', { value: currentText })}
          </Typography.Text>
          <Input
            id={id}
            inputMode="numeric"
            autoComplete="off"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            onBlur={onBlur}
            status={problem ? 'error' : undefined}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            style={{ width: 140 }}
          />
          {problem && (
            <Typography.Text type="danger" id={`${id}-problem`} style={{ display: 'block' }}>
              {problem}
            </Typography.Text>
          )}
        </>
      ) : (
        <Fact label={label}>
          {currentText}
          {current?.has_new && current.new_value !== null ? ` → ${current.new_value}` : ''}
        </Fact>
      )}
    </div>
  );
}

/** Every submission: version, when, who, source, notes and the figures it produced. */
function History({ submissions, loading, moneyReader }: { submissions: AchievementSubmission[]; loading: boolean; moneyReader: boolean }) {
  const text = useAreaText(dictionary);
  const ids = useMemo(() => [...new Set(submissions.map((s) => s.submitted_by).filter((id): id is string => Boolean(id)))], [submissions]);
  const people = useRowsOf<{ id: string; full_name: string | null; email?: string | null }>('profiles', 'id', ids, 'id,full_name');
  const who = (id: string | null) => {
    if (!id) return '–';
    return people.rows?.find((p) => p.id === id)?.full_name || '–';
  };
  const rows = [...submissions].sort((a, b) => b.version - a.version);
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('achievement.history.title')}</SectionTitle>}>
      <Table<AchievementSubmission>
        dataSource={rows}
        rowKey="id"
        size="small"
        loading={loading}
        pagination={rows.length > 20 ? { pageSize: 20 } : false}
        aria-label={text('achievement.history.title')}
        scroll={{ x: 940 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('achievement.history.empty')} /> }}
      >
        <Table.Column<AchievementSubmission> title={text('achievement.history.version')} key="version" width={80} render={(_, row) => `v${row.version}`} />
        <Table.Column<AchievementSubmission> title={text('achievement.history.when')} key="when" width={140} render={(_, row) => formatUkDateTime(row.submitted_at)} />
        <Table.Column<AchievementSubmission> title={text('achievement.history.who')} key="who" width={130} render={(_, row) => who(row.submitted_by)} />
        <Table.Column<AchievementSubmission> title={text('achievement.history.source')} key="source" width={130} render={(_, row) => text(`achievement.source.${row.source}`)} />
        <Table.Column<AchievementSubmission>
          title={text('achievement.history.notes')}
          key="notes"
          render={(_, row) => <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{row.notes || '–'}</span>}
        />
        {moneyReader && <Table.Column<AchievementSubmission> title={text('achievement.history.points')} key="points" align="right" width={90} render={(_, row) => formatPoints(row.points)} />}
        {moneyReader && <Table.Column<AchievementSubmission> title={text('achievement.history.payment')} key="payment" align="right" width={120} render={(_, row) => formatMoney(row.payment)} />}
      </Table>
    </Card>
  );
}
