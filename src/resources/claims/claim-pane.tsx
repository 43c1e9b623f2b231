// The Claim pane: the claim's services, each with its lines (units, unit
// price and amount; a retainer's information and its acknowledgement; the
// evidence a line needs), its supplementary questions and its total, then the
// claim's total. Every amount and total shown is the database's: after a
// change the page reads the lines and totals again, it never computes money.
// Problems from Submit are shown beside the line, question or service they
// concern. Read-only (no inputs) for claims that cannot be changed.
import { CheckCircleTwoTone, ExclamationCircleOutlined } from '@ant-design/icons';
import { useNotification } from '@refinedev/core';
import { Checkbox, DatePicker, Descriptions, Empty, Input, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly, fromIsoDate, toIsoDate, UK_DATE_INPUT_FORMAT } from '../../lib/calendar-dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { EvidenceSection } from './evidence.tsx';
import dictionary from './i18n.ts';
import {
  isEditableStatus,
  parseUnits,
  placeAnchor,
  problemsAt,
  type ClaimAnswer,
  type ClaimEvidence,
  type ClaimLine,
  type ClaimOverview,
  type ClaimProblem,
  type ClaimServiceRow,
  type ServiceTotal,
} from './model.ts';

export interface ClaimContents {
  services: ClaimServiceRow[] | undefined;
  lines: ClaimLine[] | undefined;
  totals: ServiceTotal[] | undefined;
  answers: ClaimAnswer[] | undefined;
  evidence: ClaimEvidence[] | undefined;
}

function Problems({ problems }: { problems: ClaimProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="claim-problems" style={{ margin: '4px 0', paddingInlineStart: 0, listStyle: 'none' }}>
      {problems.map((problem, index) => (
        <li key={`${problem.rule}-${index}`}>
          <Typography.Text type="danger">
            <ExclamationCircleOutlined aria-hidden /> {problem.message}
          </Typography.Text>
        </li>
      ))}
    </ul>
  );
}

export function ClaimPane({
  claim,
  contents,
  editable,
  problems,
  onChanged,
}: {
  claim: ClaimOverview;
  contents: ClaimContents;
  editable: boolean;
  problems: ClaimProblem[];
  onChanged: () => Promise<unknown>;
}) {
  const text = useAreaText(dictionary);
  const services = [...(contents.services ?? [])].sort((a, b) => (a.service?.name ?? '').localeCompare(b.service?.name ?? ''));
  const lines = contents.lines ?? [];
  if (services.length === 0 || lines.length === 0) {
    return (
      <>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('claims.lines.empty')} />
        <ClaimTotal claim={claim} />
      </>
    );
  }
  return (
    <>
      {services.map((service) => {
        const total = contents.totals?.find((row) => row.service_id === service.service_id)?.total;
        const own = lines.filter((line) => line.service_id === service.service_id).sort((a, b) => a.position - b.position);
        const answers = (contents.answers ?? [])
          .filter((answer) => answer.service_id === service.service_id)
          .sort((a, b) => (a.question?.position ?? 0) - (b.question?.position ?? 0));
        const headingId = `claim-service-${service.service_id}`;
        return (
          <section
            key={service.service_id}
            id={placeAnchor('service', service.service_id)}
            tabIndex={-1}
            aria-labelledby={headingId}
            style={{ marginBottom: 24 }}
          >
            <Typography.Title level={3} id={headingId} style={{ fontSize: 16, marginBottom: 4 }}>
              {service.service?.name ?? service.service_id}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {text('claims.lines.period', { period: service.period_label })}
            </Typography.Paragraph>
            <Problems problems={problemsAt(problems, 'service', service.service_id)} />
            {own.map((line) => (
              <LineBlock
                key={line.id}
                claim={claim}
                line={line}
                files={(contents.evidence ?? []).filter((file) => file.line_id === line.id)}
                editable={editable}
                problems={problemsAt(problems, 'line', line.id)}
                onChanged={onChanged}
              />
            ))}
            {answers.length > 0 && (
              <div style={{ marginTop: 12 }}>
                <Typography.Text strong>{text('claims.questions.title')}</Typography.Text>
                {answers.map((answer) => (
                  <QuestionField
                    key={answer.question_id}
                    claimId={claim.id}
                    answer={answer}
                    editable={editable}
                    problems={problemsAt(problems, 'question', answer.question_id)}
                    onChanged={onChanged}
                  />
                ))}
              </div>
            )}
            <Typography.Paragraph strong style={{ textAlign: 'right', marginTop: 8, marginBottom: 0 }}>
              {text('claims.lines.serviceTotal')}: <span data-testid={`service-total-${service.service_id}`}>{formatMoney(total ?? 0)}</span>
            </Typography.Paragraph>
          </section>
        );
      })}
      <ClaimTotal claim={claim} />
    </>
  );
}

function ClaimTotal({ claim }: { claim: ClaimOverview }) {
  const text = useAreaText(dictionary);
  return (
    <Typography.Paragraph strong style={{ textAlign: 'right', fontSize: 16, marginBottom: 0 }}>
      {text('claims.lines.claimTotal')}: <span data-testid="claim-total">{formatMoney(claim.total)}</span>
    </Typography.Paragraph>
  );
}

function LineBlock({
  claim,
  line,
  files,
  editable,
  problems,
  onChanged,
}: {
  claim: ClaimOverview;
  line: ClaimLine;
  files: ClaimEvidence[];
  editable: boolean;
  problems: ClaimProblem[];
  onChanged: () => Promise<unknown>;
}) {
  const text = useAreaText(dictionary);
  const titleId = `claim-line-${line.id}`;
  const component = line.component;
  const name = component?.name ?? line.component_id;
  return (
    <section
      id={placeAnchor('line', line.id)}
      tabIndex={-1}
      aria-labelledby={titleId}
      className="claim-line"
      style={{
        border: `1px solid ${problems.length > 0 ? '#ff4d4f' : '#f0f0f0'}`,
        borderRadius: 8,
        padding: 12,
        marginBottom: 12,
      }}
    >
      {/* A block row of its own: the name never runs into the Units label below it. */}
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 8px', marginBottom: 8 }}>
        <Typography.Text strong id={titleId}>
          {name}
        </Typography.Text>
        {line.kind === 'retainer' && <Tag>{text('claims.lines.retainer')}</Tag>}
      </div>
      <Problems problems={problems} />
      {line.kind === 'unit' ? (
        <Space wrap size={[24, 8]} align="start">
          {editable ? <UnitsInput line={line} name={name} onSaved={onChanged} /> : (
            <LabelValue label={text('claims.lines.units')} value={line.units === null ? text('claims.lines.noUnits') : String(line.units)} />
          )}
          <LabelValue label={text('claims.lines.unitPrice')} value={formatMoney(line.unit_price)} />
          <LabelValue label={text('claims.lines.amount')} value={formatMoney(line.amount ?? 0)} testId={`line-amount-${line.id}`} />
        </Space>
      ) : (
        <>
          <LabelValue label={text('claims.lines.fixed')} value={formatMoney(line.amount ?? 0)} testId={`line-amount-${line.id}`} />
          {component?.information && (
            <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
              <Descriptions.Item label={text('claims.lines.information')}>{component.information}</Descriptions.Item>
            </Descriptions>
          )}
          {editable ? (
            <RetainerAcknowledgement line={line} onChanged={onChanged} />
          ) : (
            <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
              {line.acknowledged_at ? (
                <>
                  <CheckCircleTwoTone twoToneColor="#52c41a" aria-hidden /> {text('claims.lines.acknowledged')}
                </>
              ) : (
                text('claims.lines.notAcknowledged')
              )}
            </Typography.Paragraph>
          )}
        </>
      )}
      {component?.evidence_required && (
        <EvidenceSection
          providerId={claim.provider_id}
          line={line}
          files={files}
          editable={editable}
          claimSubmitted={!isEditableStatus(claim.status)}
          onChanged={onChanged}
        />
      )}
    </section>
  );
}

function LabelValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {label}
      </Typography.Text>
      <Typography.Text strong data-testid={testId}>
        {value}
      </Typography.Text>
    </div>
  );
}

/** Units: a whole number from 0, saved on leaving the box or Enter; the amount then comes back from the database. */
function UnitsInput({ line, name, onSaved }: { line: ClaimLine; name: string; onSaved: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const { open: notify } = useNotification();
  const id = useId();
  const saved = line.units === null ? '' : String(line.units);
  const [typed, setTyped] = useState(saved);
  const [invalid, setInvalid] = useState(false);
  const [saving, setSaving] = useState(false);
  // What the database holds wins once it has been read again.
  useEffect(() => setTyped(saved), [saved]);

  async function save() {
    const parsed = parseUnits(typed);
    if (!parsed.ok) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if ((parsed.units === null ? '' : String(parsed.units)) === saved) return;
    setSaving(true);
    try {
      await callRpc('set_claim_line_units', { p_line_id: line.id, p_units: parsed.units });
      await onSaved();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
      setTyped(saved);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div>
      <label htmlFor={id} style={{ display: 'block', fontSize: 12, color: 'rgba(0,0,0,0.65)' }}>
        {text('claims.lines.units')}
        <span className="visually-hidden"> {name}</span>
      </label>
      <Input
        id={id}
        inputMode="numeric"
        value={typed}
        status={invalid ? 'error' : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-help`}
        style={{ width: 120 }}
        disabled={saving}
        onChange={(event) => {
          setTyped(event.target.value);
          setInvalid(false);
        }}
        onBlur={() => void save()}
        onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
          if (event.key === 'Enter') void save();
        }}
      />
      <Typography.Text id={`${id}-help`} type={invalid ? 'danger' : 'secondary'} style={{ display: 'block', fontSize: 12, maxWidth: 260 }}>
        {saving ? text('claims.lines.saving') : invalid ? text('claims.lines.unitsInvalid') : text('claims.lines.unitsHelp')}
      </Typography.Text>
    </div>
  );
}

function RetainerAcknowledgement({ line, onChanged }: { line: ClaimLine; onChanged: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const { open: notify } = useNotification();
  const [saving, setSaving] = useState(false);
  return (
    <Checkbox
      style={{ marginTop: 8 }}
      checked={line.acknowledged_at !== null}
      disabled={saving}
      onChange={async (event) => {
        setSaving(true);
        try {
          await callRpc('acknowledge_claim_retainer', { p_line_id: line.id, p_acknowledged: event.target.checked });
          await onChanged();
        } catch (error) {
          notify?.({ type: 'error', ...describeRpcError(error) });
        } finally {
          setSaving(false);
        }
      }}
    >
      {text('claims.lines.acknowledge')}
    </Checkbox>
  );
}

/** A supplementary question: Yes/No as a switch (No → Yes), text, number or date saved on leaving the field. */
function QuestionField({
  claimId,
  answer,
  editable,
  problems,
  onChanged,
}: {
  claimId: string;
  answer: ClaimAnswer;
  editable: boolean;
  problems: ClaimProblem[];
  onChanged: () => Promise<unknown>;
}) {
  const text = useAreaText(dictionary);
  const { open: notify } = useNotification();
  const id = useId();
  const question = answer.question;
  const kind = question?.kind ?? 'free_text';
  const savedText = answer.answer_text ?? '';
  const [typed, setTyped] = useState(savedText);
  const [invalid, setInvalid] = useState(false);
  const [saving, setSaving] = useState(false);
  useEffect(() => setTyped(savedText), [savedText]);

  async function save(args: { p_answer_yes?: boolean | null; p_answer_text?: string | null }) {
    setSaving(true);
    try {
      await callRpc('set_claim_answer', { p_claim_id: claimId, p_question_id: answer.question_id, ...args });
      await onChanged();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
      setTyped(savedText);
    } finally {
      setSaving(false);
    }
  }

  function saveText() {
    const value = typed.trim();
    if (value === savedText.trim()) return;
    if (kind === 'number' && value !== '' && !/^-?\d+(\.\d+)?$/.test(value)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    void save({ p_answer_text: value === '' ? null : value });
  }

  const label = (
    <>
      {question?.question ?? ''}
      {kind !== 'yes_no_must_be_yes' && question && !question.required && <Typography.Text type="secondary"> {text('claims.questions.optional')}</Typography.Text>}
    </>
  );

  let control;
  if (!editable) {
    control =
      kind === 'yes_no_must_be_yes' ? (
        <Typography.Text strong>{answer.answer_yes ? text('claims.questions.yes') : text('claims.questions.no')}</Typography.Text>
      ) : (
        <Typography.Text strong>{(kind === 'date' ? formatDateOnly(answer.answer_text, '') : answer.answer_text) || text('claims.questions.notAnswered')}</Typography.Text>
      );
  } else if (kind === 'yes_no_must_be_yes') {
    // Yes/No beside the switch, not inside it: white text on the grey "off" track is too faint (axe colour contrast).
    control = (
      <Space size={8} align="center">
        <Switch
          id={id}
          checked={answer.answer_yes === true}
          loading={saving}
          aria-labelledby={`${id}-label`}
          onChange={(checked) => void save({ p_answer_yes: checked })}
        />
        <Typography.Text strong aria-hidden>
          {answer.answer_yes === true ? text('claims.questions.yes') : text('claims.questions.no')}
        </Typography.Text>
      </Space>
    );
  } else if (kind === 'date') {
    control = (
      <DatePicker
        id={id}
        format={UK_DATE_INPUT_FORMAT}
        value={answer.answer_text ? fromIsoDate(answer.answer_text) : null}
        disabled={saving}
        onChange={(value) => void save({ p_answer_text: value ? toIsoDate(value) : null })}
      />
    );
  } else {
    control = (
      <>
        {kind === 'number' ? (
          <Input
            id={id}
            inputMode="decimal"
            value={typed}
            style={{ width: 200 }}
            status={invalid ? 'error' : undefined}
            aria-invalid={invalid || undefined}
            disabled={saving}
            onChange={(event) => setTyped(event.target.value)}
            onBlur={saveText}
            onKeyDown={(event) => {
              if (event.key === 'Enter') saveText();
            }}
          />
        ) : (
          <Input.TextArea id={id} rows={2} maxLength={1000} value={typed} disabled={saving} onChange={(event) => setTyped(event.target.value)} onBlur={saveText} />
        )}
        {invalid && (
          <Typography.Text type="danger" style={{ display: 'block' }}>
            {text('claims.questions.numberInvalid')}
          </Typography.Text>
        )}
      </>
    );
  }

  return (
    <div role="group" id={placeAnchor('question', answer.question_id)} tabIndex={-1} aria-labelledby={`${id}-label`} style={{ marginTop: 8 }}>
      {editable && kind !== 'yes_no_must_be_yes' ? (
        <label id={`${id}-label`} htmlFor={id} style={{ display: 'block', marginBottom: 4 }}>
          {label}
        </label>
      ) : (
        <div id={`${id}-label`} style={{ marginBottom: 4 }}>
          {label}
        </div>
      )}
      <Problems problems={problems} />
      {control}
    </div>
  );
}
