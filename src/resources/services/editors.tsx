// The dialogs for each part of a service, with the rules the database also
// keeps (service_components_money / _evidence / _file_types, claim windows and
// achievement dates inside the service, codes, thresholds).
import { Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import { isValidMoney } from '../../lib/money.ts';
import { formatDateOnly, fromIsoDate, toIsoDate, UK_DATE_INPUT_FORMAT } from '../../lib/calendar-dates.ts';
import { useAreaText } from '../../components/area-text.ts';
import { mustChoose } from '../../components/form-rules.ts';
import { RowEditor } from './editor.tsx';
import dictionary from './i18n.ts';
import { basisKey, componentKindKey, questionKindKey } from './labels.ts';
import {
  ACHIEVEMENT_DATES,
  CLAIM_WINDOWS,
  CODE_PATTERN,
  COMPONENT_KINDS,
  EVIDENCE_FILE_TYPES,
  INDICATOR_GROUPS,
  INDICATORS,
  PAYMENT_BASES,
  QUESTION_KINDS,
  QUESTION_MAX,
  QUESTION_MIN,
  SERVICE_COMPONENTS,
  SERVICE_QUESTIONS,
  TEXT_MAX,
  type AchievementDate,
  type ClaimWindow,
  type ComponentKind,
  type EvidenceFileType,
  type Indicator,
  type IndicatorGroup,
  type PaymentBasis,
  type QualityService,
  type QuestionKind,
  type ServiceComponent,
  type ServiceQuestion,
} from './model.ts';

interface Props<R> {
  service: QualityService;
  record?: R;
  onClose: () => void;
}

type Text = ReturnType<typeof useAreaText<typeof dictionary>>;

function moneyRule(text: Text, requiredMessage: string): Rule {
  return {
    validator: async (_, value: number | null | undefined) => {
      if (value === null || value === undefined) throw new Error(requiredMessage);
      if (!isValidMoney(value)) throw new Error(text('services.editor.moneyInvalid'));
    },
  };
}

function maxText(text: Text, max = TEXT_MAX): Rule {
  return {
    validator: async (_, value: string | null | undefined) => {
      const n = (value ?? '').length;
      if (n > max) throw new Error(text('services.editor.textTooLong', { max, n }));
    },
  };
}

function MoneyInput({ id, ...rest }: { id?: string; value?: number | null; onChange?: (value: number | null) => void }) {
  return <InputNumber id={id} {...rest} prefix="£" min={0} step={0.01} precision={2} style={{ width: 200 }} />;
}

/** A date inside the service's own dates. */
function insideService(text: Text, service: QualityService): Rule {
  return {
    validator: async (_, value: Dayjs | null | undefined) => {
      if (!value) return;
      const day = toIsoDate(value);
      if (day < service.starts_on || day > service.ends_on) {
        throw new Error(text('services.editor.outsideService', { from: formatDateOnly(service.starts_on), to: formatDateOnly(service.ends_on) }));
      }
    },
  };
}

function DateInput(props: { id?: string; value?: Dayjs | null; onChange?: (value: Dayjs | null) => void }) {
  return <DatePicker {...props} format={UK_DATE_INPUT_FORMAT} placeholder="DD/MM/YYYY" />;
}

// ---------------------------------------------------------------- components

export interface ComponentValues {
  name: string;
  kind: ComponentKind;
  unit_price?: number | null;
  fixed_amount?: number | null;
  information?: string | null;
  evidence_required: boolean;
  evidence_text?: string | null;
  accepted_file_types: EvidenceFileType[];
  position: number;
}

export function componentValuesToRow(values: ComponentValues) {
  const evidence = values.kind === 'unit' && values.evidence_required;
  return {
    name: values.name.trim(),
    kind: values.kind,
    position: values.position ?? 0,
    unit_price: values.kind === 'unit' ? values.unit_price : null,
    fixed_amount: values.kind === 'retainer' ? values.fixed_amount : null,
    information: values.kind === 'retainer' ? (values.information?.trim() ?? null) : null,
    evidence_required: evidence,
    evidence_text: evidence ? (values.evidence_text?.trim() ?? null) : null,
    accepted_file_types: evidence ? values.accepted_file_types : [],
  };
}

export function ComponentEditor({ service, record, onClose, nextPosition }: Props<ServiceComponent> & { nextPosition: number }) {
  const text = useAreaText(dictionary);
  const kinds = service.participation_only ? (['participation'] as const) : COMPONENT_KINDS;
  return (
    <RowEditor<ComponentValues>
      title={text('services.editor.componentTitle', { service: service.name })}
      resource={SERVICE_COMPONENTS}
      id={record?.id}
      serviceId={service.id}
      toRow={componentValuesToRow}
      onClose={onClose}
      initialValues={
        record
          ? {
              name: record.name,
              kind: record.kind,
              unit_price: record.unit_price,
              fixed_amount: record.fixed_amount,
              information: record.information,
              evidence_required: record.evidence_required,
              evidence_text: record.evidence_text,
              accepted_file_types: record.accepted_file_types as EvidenceFileType[],
              position: record.position,
            }
          : { kind: service.participation_only ? 'participation' : 'unit', evidence_required: false, accepted_file_types: [], position: nextPosition }
      }
    >
      {service.participation_only && <Typography.Paragraph type="secondary">{text('services.editor.participationOnly')}</Typography.Paragraph>}
      <Form.Item name="name" label={text('services.fields.componentName')} rules={[{ required: true, whitespace: true, message: text('services.editor.nameRequired') }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={text('services.fields.componentKind')} rules={[mustChoose(text('services.editor.kindRequired'))]}>
        <Radio.Group options={kinds.map((k) => ({ value: k, label: text(componentKindKey(k)) }))} />
      </Form.Item>
      <Form.Item noStyle dependencies={['kind', 'evidence_required']}>
        {({ getFieldValue }) => {
          const kind = getFieldValue('kind') as ComponentKind | undefined;
          const evidence = getFieldValue('evidence_required') === true;
          return (
            <>
              {kind === 'unit' && (
                <Form.Item required name="unit_price" label={text('services.fields.unitPrice')} rules={[moneyRule(text, text('services.editor.unitPriceRequired'))]}>
                  <MoneyInput />
                </Form.Item>
              )}
              {kind === 'retainer' && (
                <>
                  <Form.Item required name="fixed_amount" label={text('services.fields.fixedAmount')} rules={[moneyRule(text, text('services.editor.fixedAmountRequired'))]}>
                    <MoneyInput />
                  </Form.Item>
                  <Form.Item
                    name="information"
                    label={text('services.fields.information')}
                    rules={[{ required: true, whitespace: true, message: text('services.editor.informationRequired') }, maxText(text)]}
                  >
                    <Input.TextArea rows={2} />
                  </Form.Item>
                </>
              )}
              <Form.Item
                name="evidence_required"
                valuePropName="checked"
                rules={[
                  {
                    validator: async (_, value: boolean) => {
                      if (value && kind !== 'unit') throw new Error(text('services.editor.evidenceUnitOnly'));
                    },
                  },
                ]}
              >
                <Checkbox disabled={kind !== 'unit' && !evidence}>{text('services.fields.evidenceRequired')}</Checkbox>
              </Form.Item>
              {evidence && (
                <>
                  <Form.Item
                    name="evidence_text"
                    label={text('services.fields.evidenceText')}
                    rules={[{ required: true, whitespace: true, message: text('services.editor.evidenceTextRequired') }, maxText(text)]}
                  >
                    <Input.TextArea rows={2} />
                  </Form.Item>
                  <Form.Item
                    name="accepted_file_types"
                    label={text('services.fields.fileTypes')}
                    rules={[mustChoose(text('services.editor.fileTypesRequired'))]}
                  >
                    <Checkbox.Group options={EVIDENCE_FILE_TYPES.map((t) => ({ value: t, label: t.toUpperCase() }))} />
                  </Form.Item>
                </>
              )}
            </>
          );
        }}
      </Form.Item>
      <Form.Item name="position" label={text('services.fields.position')}>
        <InputNumber min={0} precision={0} style={{ width: 120 }} />
      </Form.Item>
    </RowEditor>
  );
}

// ---------------------------------------------------------------- questions

export interface QuestionValues {
  question: string;
  kind: QuestionKind;
  required: boolean;
  position: number;
}

export function QuestionEditor({ service, record, onClose, nextPosition }: Props<ServiceQuestion> & { nextPosition: number }) {
  const text = useAreaText(dictionary);
  return (
    <RowEditor<QuestionValues>
      title={text('services.editor.questionTitle', { service: service.name })}
      resource={SERVICE_QUESTIONS}
      id={record?.id}
      serviceId={service.id}
      onClose={onClose}
      toRow={(v) => ({ question: v.question.trim(), kind: v.kind, required: v.kind === 'yes_no_must_be_yes' ? true : v.required, position: v.position ?? 0 })}
      initialValues={
        record
          ? { question: record.question, kind: record.kind, required: record.required, position: record.position }
          : { kind: 'yes_no_must_be_yes', required: true, position: nextPosition }
      }
    >
      <Form.Item
        name="question"
        label={text('services.fields.question')}
        rules={[
          { required: true, whitespace: true, message: text('services.editor.questionLength', { min: QUESTION_MIN, max: QUESTION_MAX }) },
          { min: QUESTION_MIN, max: QUESTION_MAX, message: text('services.editor.questionLength', { min: QUESTION_MIN, max: QUESTION_MAX }) },
        ]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="kind" label={text('services.fields.questionKind')} rules={[mustChoose(text('services.editor.kindRequired'))]}>
        <Select options={QUESTION_KINDS.map((k) => ({ value: k, label: text(questionKindKey(k)) }))} style={{ maxWidth: 280 }} />
      </Form.Item>
      <Form.Item noStyle dependencies={['kind']}>
        {({ getFieldValue }) =>
          getFieldValue('kind') === 'yes_no_must_be_yes' ? (
            <Typography.Paragraph type="secondary">{text('services.editor.yesNoRequired')}</Typography.Paragraph>
          ) : (
            <Form.Item name="required" valuePropName="checked">
              <Checkbox>{text('services.fields.required')}</Checkbox>
            </Form.Item>
          )
        }
      </Form.Item>
      <Form.Item name="position" label={text('services.fields.position')}>
        <InputNumber min={0} precision={0} style={{ width: 120 }} />
      </Form.Item>
    </RowEditor>
  );
}

// ---------------------------------------------------------------- claim windows

export interface WindowValues {
  period_label: string;
  period_starts_on: Dayjs | null;
  period_ends_on: Dayjs | null;
  opens_on: Dayjs | null;
  closes_on: Dayjs | null;
}

/** Not before the date in field `earlier`. */
function dateOrder(earlier: string, message: string): Rule {
  return ({ getFieldValue }) => ({
    validator: async (_, value: Dayjs | null) => {
      const start = getFieldValue(earlier) as Dayjs | null;
      if (value && start && toIsoDate(value) < toIsoDate(start)) throw new Error(message);
    },
  });
}

export function WindowEditor({ service, record, onClose }: Props<ClaimWindow>) {
  const text = useAreaText(dictionary);
  const required: Rule = { required: true, message: text('services.form.dateRequired') };
  return (
    <RowEditor<WindowValues>
      title={text('services.editor.windowTitle', { service: service.name })}
      resource={CLAIM_WINDOWS}
      id={record?.id}
      serviceId={service.id}
      onClose={onClose}
      toRow={(v) => ({
        period_label: v.period_label.trim(),
        period_starts_on: v.period_starts_on && toIsoDate(v.period_starts_on),
        period_ends_on: v.period_ends_on && toIsoDate(v.period_ends_on),
        opens_on: v.opens_on && toIsoDate(v.opens_on),
        closes_on: v.closes_on && toIsoDate(v.closes_on),
      })}
      initialValues={
        record
          ? {
              period_label: record.period_label,
              period_starts_on: fromIsoDate(record.period_starts_on),
              period_ends_on: fromIsoDate(record.period_ends_on),
              opens_on: fromIsoDate(record.opens_on),
              closes_on: fromIsoDate(record.closes_on),
            }
          : {}
      }
    >
      <Form.Item name="period_label" label={text('services.fields.periodLabel')} rules={[{ required: true, whitespace: true, message: text('services.editor.labelRequired') }, { max: 100 }]}>
        <Input style={{ maxWidth: 280 }} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <Form.Item name="period_starts_on" label={text('services.fields.periodStarts')} rules={[required, insideService(text, service)]}>
          <DateInput />
        </Form.Item>
        <Form.Item
          name="period_ends_on"
          label={text('services.fields.periodEnds')}
          dependencies={['period_starts_on']}
          rules={[required, insideService(text, service), dateOrder('period_starts_on', text('services.editor.periodOrder'))]}
        >
          <DateInput />
        </Form.Item>
      </div>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <Form.Item name="opens_on" label={text('services.fields.opensOn')} rules={[required]}>
          <DateInput />
        </Form.Item>
        <Form.Item
          name="closes_on"
          label={text('services.fields.closesOn')}
          dependencies={['opens_on']}
          rules={[required, dateOrder('opens_on', text('services.editor.closeBeforeOpen'))]}
        >
          <DateInput />
        </Form.Item>
      </div>
    </RowEditor>
  );
}

// ---------------------------------------------------------------- national: groups, indicators, achievement dates

function codeRules(text: Text): Rule[] {
  return [{ required: true, pattern: CODE_PATTERN, message: text('services.editor.codeInvalid') }];
}

export function GroupEditor({ service, record, onClose, nextPosition }: Props<IndicatorGroup> & { nextPosition: number }) {
  const text = useAreaText(dictionary);
  return (
    <RowEditor<{ code: string; name: string; position: number }>
      title={text('services.editor.groupTitle', { service: service.name })}
      resource={INDICATOR_GROUPS}
      id={record?.id}
      serviceId={service.id}
      onClose={onClose}
      toRow={(v) => ({ code: v.code.trim(), name: v.name.trim(), position: v.position ?? 0 })}
      initialValues={record ? { code: record.code, name: record.name, position: record.position } : { position: nextPosition }}
    >
      <Form.Item name="code" label={text('services.fields.code')} rules={codeRules(text)}>
        <Input style={{ maxWidth: 200 }} />
      </Form.Item>
      <Form.Item name="name" label={text('services.fields.groupName')} rules={[{ required: true, whitespace: true, message: text('services.editor.nameRequired') }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="position" label={text('services.fields.position')}>
        <InputNumber min={0} precision={0} style={{ width: 120 }} />
      </Form.Item>
    </RowEditor>
  );
}

export interface IndicatorValues {
  group_id: string;
  code: string;
  description: string;
  points: number;
  payment_basis: PaymentBasis;
  payment_rate: number;
  lower_threshold?: number | null;
  upper_threshold?: number | null;
  position: number;
}

export function IndicatorEditor({
  service,
  record,
  onClose,
  groups,
  groupId,
}: Props<Indicator> & { groups: IndicatorGroup[]; groupId?: string }) {
  const text = useAreaText(dictionary);
  const numberRequired: Rule = { required: true, message: text('services.editor.numberRequired') };
  return (
    <RowEditor<IndicatorValues>
      title={text('services.editor.indicatorTitle', { service: service.name })}
      resource={INDICATORS}
      id={record?.id}
      serviceId={service.id}
      onClose={onClose}
      width={720}
      toRow={(v) => ({
        group_id: v.group_id,
        code: v.code.trim(),
        description: v.description.trim(),
        points: v.points,
        payment_basis: v.payment_basis,
        payment_rate: v.payment_rate,
        lower_threshold: v.lower_threshold ?? null,
        upper_threshold: v.upper_threshold ?? null,
        position: v.position ?? 0,
      })}
      initialValues={
        record
          ? {
              group_id: record.group_id,
              code: record.code,
              description: record.description,
              points: record.points,
              payment_basis: record.payment_basis,
              payment_rate: record.payment_rate,
              lower_threshold: record.lower_threshold,
              upper_threshold: record.upper_threshold,
              position: record.position,
            }
          : { group_id: groupId, payment_basis: 'per_point', position: 0 }
      }
    >
      <Form.Item name="group_id" label={text('services.fields.group')} rules={[mustChoose(text('services.editor.groupRequired'))]}>
        <Select options={groups.map((g) => ({ value: g.id, label: `${g.code} · ${g.name}` }))} />
      </Form.Item>
      <Form.Item name="code" label={text('services.fields.code')} rules={codeRules(text)}>
        <Input style={{ maxWidth: 200 }} />
      </Form.Item>
      <Form.Item
        name="description"
        label={text('services.fields.indicatorDescription')}
        rules={[{ required: true, whitespace: true, message: text('services.editor.descriptionRequired') }, { max: 1000 }]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <Form.Item name="points" label={text('services.fields.points')} rules={[numberRequired]}>
          <InputNumber min={0} precision={2} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="payment_basis" label={text('services.fields.paymentBasis')}>
          <Radio.Group options={PAYMENT_BASES.map((b) => ({ value: b, label: text(basisKey(b)) }))} />
        </Form.Item>
        <Form.Item required name="payment_rate" label={text('services.fields.paymentRate')} rules={[moneyRule(text, text('services.editor.numberRequired'))]}>
          <MoneyInput />
        </Form.Item>
      </div>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <Form.Item name="lower_threshold" label={text('services.fields.lowerThreshold')}>
          <InputNumber min={0} max={100} precision={2} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="upper_threshold"
          label={text('services.fields.upperThreshold')}
          dependencies={['lower_threshold']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_, value: number | null | undefined) => {
                const lower = getFieldValue('lower_threshold') as number | null | undefined;
                if (value !== null && value !== undefined && lower !== null && lower !== undefined && lower > value) {
                  throw new Error(text('services.editor.thresholdOrder'));
                }
              },
            }),
          ]}
        >
          <InputNumber min={0} max={100} precision={2} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="position" label={text('services.fields.position')}>
          <InputNumber min={0} precision={0} style={{ width: 120 }} />
        </Form.Item>
      </div>
    </RowEditor>
  );
}

export function AchievementDateEditor({ service, record, onClose }: Props<AchievementDate>) {
  const text = useAreaText(dictionary);
  return (
    <RowEditor<{ achievement_date: Dayjs | null; is_payment_date: boolean }>
      title={text('services.editor.dateTitle', { service: service.name })}
      resource={ACHIEVEMENT_DATES}
      id={record?.id}
      serviceId={service.id}
      onClose={onClose}
      toRow={(v) => ({ achievement_date: v.achievement_date && toIsoDate(v.achievement_date), is_payment_date: v.is_payment_date })}
      initialValues={
        record ? { achievement_date: fromIsoDate(record.achievement_date), is_payment_date: record.is_payment_date } : { is_payment_date: false }
      }
    >
      <Form.Item
        name="achievement_date"
        label={text('services.fields.achievementDate')}
        rules={[{ required: true, message: text('services.form.dateRequired') }, insideService(text, service)]}
      >
        <DateInput />
      </Form.Item>
      <Form.Item name="is_payment_date" valuePropName="checked">
        <Checkbox>{text('services.fields.isPaymentDate')}</Checkbox>
      </Form.Item>
    </RowEditor>
  );
}
