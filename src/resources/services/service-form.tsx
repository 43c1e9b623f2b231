// Create or edit a quality service's details. The form repeats the
// database's simple rules (name length, dates inside the financial year, end
// not before start); everything else, and these again, the database decides:
// its refusal is shown as it says it, with its hint.
import { Create, Edit, ResultTitle } from '../../components/page.tsx';
import { useCreate, useNotification, useOne, useUpdate, type HttpError } from '@refinedev/core';
import { Alert, AutoComplete, Button, Checkbox, DatePicker, Form, Input, Radio, Result, Select, Space, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { financialYearOf, financialYearRange, financialYearsAround, isInFinancialYear } from '../../lib/financial-year.ts';
import { mustChoose } from '../../components/form-rules.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { formatDateOnly, fromIsoDate, todayInLondon, toIsoDate, UK_DATE_INPUT_FORMAT } from '../../lib/calendar-dates.ts';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { claimModeKey, serviceKindKey } from './labels.ts';
import {
  isNationalPaymentType,
  PAYMENT_TYPE_MAX,
  PAYMENT_TYPES_BY_KIND,
  QUALITY_SERVICES,
  SERVICE_DESCRIPTION_MAX,
  SERVICE_KINDS,
  SERVICE_NAME_MAX,
  SERVICE_NAME_MIN,
  type ClaimMode,
  type QualityService,
  type ServiceKind,
} from './model.ts';

export interface ServiceFormValues {
  name: string;
  kind: ServiceKind;
  financial_year: string;
  payment_type: string;
  description?: string;
  starts_on: Dayjs | null;
  ends_on: Dayjs | null;
  claim_mode: ClaimMode | 'inherit';
  participation_only: boolean;
  no_declaration_required: boolean;
  no_approval_required: boolean;
}

/** The row to write: local and national flags kept apart as the database requires. */
export function serviceValuesToRow(values: ServiceFormValues) {
  const local = values.kind === 'local';
  return {
    name: values.name.trim(),
    financial_year: values.financial_year,
    payment_type: values.payment_type.trim(),
    description: values.description?.trim() ?? '',
    starts_on: values.starts_on ? toIsoDate(values.starts_on) : null,
    ends_on: values.ends_on ? toIsoDate(values.ends_on) : null,
    claim_mode: local && values.claim_mode !== 'inherit' ? values.claim_mode : null,
    participation_only: local && values.participation_only,
    no_declaration_required: !local && values.no_declaration_required,
    no_approval_required: !local && values.no_approval_required,
  };
}

function ServiceFields({ editing }: { editing: boolean }) {
  const text = useAreaText(dictionary);
  const form = Form.useFormInstance<ServiceFormValues>();
  const kind = Form.useWatch('kind', form);
  const year = Form.useWatch('financial_year', form);
  const today = todayInLondon();
  const years = [...new Set([...financialYearsAround(today, 2, 2), ...(year ? [year] : [])])].sort().reverse();

  const insideYear: Rule = {
    validator: async (_, value: Dayjs | null) => {
      if (!value || !year) return;
      if (!isInFinancialYear(toIsoDate(value), year)) {
        const range = financialYearRange(year);
        throw new Error(text('services.form.outsideYear', { year, from: formatDateOnly(range.start), to: formatDateOnly(range.end) }));
      }
    },
  };
  const dateRequired: Rule = { required: true, message: text('services.form.dateRequired') };

  return (
    <>
      <Form.Item
        name="name"
        label={text('services.fields.name')}
        rules={[
          { required: true, whitespace: true, message: text('services.form.nameRequired') },
          {
            validator: async (_, value: string | undefined) => {
              const n = (value ?? '').trim().length;
              if (n > 0 && (n < SERVICE_NAME_MIN || n > SERVICE_NAME_MAX)) {
                throw new Error(text('services.form.nameLength', { min: SERVICE_NAME_MIN, max: SERVICE_NAME_MAX, n }));
              }
            },
          },
        ]}
      >
        <Input maxLength={SERVICE_NAME_MAX + 20} />
      </Form.Item>
      <Form.Item
        name="kind"
        label={text('services.fields.kind')}
        rules={[mustChoose(text('services.form.kindRequired'))]}
        extra={editing ? text('services.form.kindFixed') : undefined}
      >
        <Radio.Group disabled={editing} options={SERVICE_KINDS.map((k) => ({ value: k, label: text(serviceKindKey(k)) }))} />
      </Form.Item>
      <Form.Item
        name="financial_year"
        label={text('services.fields.financialYear')}
        rules={[mustChoose(text('services.form.yearRequired'))]}
        extra={text('services.form.yearHelp')}
      >
        <Select
          style={{ maxWidth: 200 }}
          options={years.map((y) => ({ value: y, label: y }))}
          onChange={() => void form.validateFields(['starts_on', 'ends_on']).catch(() => undefined)}
        />
      </Form.Item>
      <Form.Item
        name="payment_type"
        label={text('services.fields.paymentType')}
        rules={[
          // Not `required: true`: on an AutoComplete antd would put aria-required on its wrapper <div> (axe: critical).
          {
            validator: async (_, value: string | undefined) => {
              if (!(value ?? '').trim()) throw new Error(text('services.form.paymentTypeRequired'));
            },
          },
          { max: PAYMENT_TYPE_MAX, message: text('services.form.paymentTypeLength', { max: PAYMENT_TYPE_MAX }) },
          {
            validator: async (_, value: string | undefined) => {
              const paymentType = (value ?? '').trim();
              if (kind === 'local' && paymentType && isNationalPaymentType(paymentType)) {
                throw new Error(text('services.form.paymentTypeNational', { paymentType }));
              }
            },
          },
        ]}
        dependencies={['kind']}
      >
        <AutoComplete
          style={{ maxWidth: 400 }}
          // Only the payment types of the chosen kind (a local service cannot take a national one).
          options={PAYMENT_TYPES_BY_KIND[kind ?? 'local'].map((p) => ({ value: p }))}
          filterOption={(input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={text('services.fields.description')}
        rules={[
          {
            validator: async (_, value: string | undefined) => {
              const n = (value ?? '').length;
              if (n > SERVICE_DESCRIPTION_MAX) throw new Error(text('services.form.descriptionLength', { max: SERVICE_DESCRIPTION_MAX, n }));
            },
          },
        ]}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <Form.Item name="starts_on" label={text('services.fields.startsOn')} rules={[dateRequired, insideYear]} dependencies={['financial_year']}>
          <DatePicker format={UK_DATE_INPUT_FORMAT} placeholder="DD/MM/YYYY" />
        </Form.Item>
        <Form.Item
          name="ends_on"
          label={text('services.fields.endsOn')}
          dependencies={['financial_year', 'starts_on']}
          rules={[
            dateRequired,
            insideYear,
            ({ getFieldValue }) => ({
              validator: async (_, value: Dayjs | null) => {
                const start = getFieldValue('starts_on') as Dayjs | null;
                if (value && start && toIsoDate(value) < toIsoDate(start)) throw new Error(text('services.form.endBeforeStart'));
              },
            }),
          ]}
        >
          <DatePicker format={UK_DATE_INPUT_FORMAT} placeholder="DD/MM/YYYY" />
        </Form.Item>
      </div>
      {kind === 'local' && (
        <>
          <Form.Item name="claim_mode" label={text('services.fields.claimMode')}>
            <Select
              style={{ maxWidth: 400 }}
              options={(['inherit', 'multi_service', 'single_service'] as const).map((m) => ({
                value: m,
                label: text(claimModeKey(m === 'inherit' ? null : m)),
              }))}
            />
          </Form.Item>
          <Form.Item name="participation_only" valuePropName="checked">
            <Checkbox>{text('services.fields.participationOnly')}</Checkbox>
          </Form.Item>
        </>
      )}
      {kind === 'national' && (
        <>
          <Form.Item name="no_declaration_required" valuePropName="checked" style={{ marginBottom: 4 }}>
            <Checkbox>{text('services.fields.noDeclaration')}</Checkbox>
          </Form.Item>
          <Form.Item name="no_approval_required" valuePropName="checked">
            <Checkbox>{text('services.fields.noApproval')}</Checkbox>
          </Form.Item>
        </>
      )}
    </>
  );
}

function Failure({ failure }: { failure: ErrorDetails | null }) {
  const text = useAreaText(dictionary);
  if (!failure) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      message={text('services.form.saveFailed')}
      description={[failure.message, failure.hint].filter(Boolean).join(' ')}
    />
  );
}

export function ServiceCreate() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const context = useCurrentContext();
  const { open: notify } = useNotification();
  const [form] = Form.useForm<ServiceFormValues>();
  const [failure, setFailure] = useState<ErrorDetails | null>(null);
  const { mutateAsync, mutation } = useCreate<QualityService, HttpError>();
  const commissioner = context?.membership ?? null;

  const submit = async (values: ServiceFormValues) => {
    if (!commissioner) return;
    setFailure(null);
    try {
      const { data } = await mutateAsync({
        resource: QUALITY_SERVICES,
        values: { ...serviceValuesToRow(values), kind: values.kind, commissioner_id: commissioner.organisation_id },
        successNotification: false,
        errorNotification: false,
      });
      notify?.({ type: 'success', message: text('services.form.created', { name: values.name.trim() }) });
      navigate(path(`/services/${data.id}`));
    } catch (error) {
      setFailure(errorDetails(error));
    }
  };

  return (
    <Create
      title={text('services.titles.create')}
      goBack={false}
      footerButtons={() => (
        <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()}>
          {text('services.form.create')}
        </Button>
      )}
    >
      <Typography.Paragraph type="secondary">{commissioner ? `${text('services.fields.commissioner')}: ${commissioner.name}` : ''}</Typography.Paragraph>
      <Failure failure={failure} />
      <Form<ServiceFormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{
          kind: 'local',
          financial_year: financialYearOf(todayInLondon()),
          claim_mode: 'inherit',
          participation_only: false,
          no_declaration_required: false,
          no_approval_required: false,
        }}
        onFinish={(values) => void submit(values)}
      >
        <ServiceFields editing={false} />
      </Form>
    </Create>
  );
}

export function ServiceEdit() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const { open: notify } = useNotification();
  const [form] = Form.useForm<ServiceFormValues>();
  const [failure, setFailure] = useState<ErrorDetails | null>(null);
  const { result: service, query } = useOne<QualityService, HttpError>({
    resource: QUALITY_SERVICES,
    id: id ?? '',
    errorNotification: false,
    queryOptions: { enabled: !!id },
  });
  const { mutateAsync, mutation } = useUpdate<QualityService, HttpError>();

  useEffect(() => {
    if (!service) return;
    form.setFieldsValue({
      name: service.name,
      kind: service.kind,
      financial_year: service.financial_year,
      payment_type: service.payment_type,
      description: service.description,
      starts_on: fromIsoDate(service.starts_on),
      ends_on: fromIsoDate(service.ends_on),
      claim_mode: service.claim_mode ?? 'inherit',
      participation_only: service.participation_only,
      no_declaration_required: service.no_declaration_required,
      no_approval_required: service.no_approval_required,
    });
  }, [service, form]);

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

  const submit = async (values: ServiceFormValues) => {
    if (!service) return;
    setFailure(null);
    try {
      await mutateAsync({
        resource: QUALITY_SERVICES,
        id: service.id,
        values: serviceValuesToRow({ ...values, kind: service.kind }),
        successNotification: false,
        errorNotification: false,
      });
      notify?.({ type: 'success', message: text('services.form.saved', { name: values.name.trim() }) });
      navigate(path(`/services/${service.id}`));
    } catch (error) {
      setFailure(errorDetails(error));
    }
  };

  return (
    <Edit
      title={service ? `${text('services.titles.edit')}: ${service.name}` : text('services.titles.edit')}
      goBack={false}
      isLoading={query.isLoading}
      headerButtons={() => null}
      footerButtons={() => (
        <Space>
          <Button onClick={() => navigate(path(`/services/${id ?? ''}`))}>{text('services.form.cancel')}</Button>
          <Button type="primary" loading={mutation.isPending} disabled={!service} onClick={() => form.submit()}>
            {text('services.form.save')}
          </Button>
        </Space>
      )}
    >
      {query.isError && <Alert type="error" showIcon message={text('services.show.loadError')} description={query.error?.message} />}
      <Failure failure={failure} />
      <Form<ServiceFormValues> form={form} layout="vertical" style={{ maxWidth: 720 }} onFinish={(values) => void submit(values)}>
        <ServiceFields editing />
      </Form>
    </Edit>
  );
}
