// Offer a service in five steps: 1 choose the service (filters: payment type,
// financial year), 2 the offer's dates (inside the service's own), 3 the
// providers (the commissioner's providers you reach; search, Select All),
// 4 review with links back, 5 "Are you sure?" → public.offer_service in one
// call (all providers or none; the database checks roles, clusters, dates and
// existing offers, and notifies each provider). Then the offered service's page.
import { ArrowLeftOutlined, ArrowRightOutlined, SendOutlined } from '@ant-design/icons';
import { Create } from '../../components/page.tsx';
import { useInvalidate, useNotification, useWarnAboutChange } from '@refinedev/core';
import { Alert, Button, DatePicker, Descriptions, Empty, Form, List as AntList, Select, Space, Steps, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { callRpc, RpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { OrganisationPicker, useProviderCandidates } from '../clusters/organisation-picker.tsx';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useReachableOrganisations } from '../organisations/reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import { descendantsOf } from '../organisations/tree.ts';
import { NothingToClaimWarning } from './claimable.tsx';
import { useOffers, useVisibleServices } from './data.ts';
import dictionary from './i18n.ts';
import { ServiceHeading } from './list.tsx';
import {
  currentFinancialYear,
  offerDateProblems,
  preferredYear,
  SERVICE_OFFERS,
  type OfferDateField,
  type OfferDateProblem,
  type OfferDates,
  type QualityService,
} from './model.ts';

export const OFFER_STEPS = ['service', 'details', 'providers', 'review', 'confirm'] as const;
export type OfferStep = (typeof OFFER_STEPS)[number];

const ALL = 'all';
const DATE_FIELDS: OfferDateField[] = ['starts_on', 'ends_on', 'respond_by', 'target_date'];
type DateValues = Partial<Record<OfferDateField, Dayjs | null>>;

function toIso(value: Dayjs | null | undefined): string | undefined {
  return value && value.isValid() ? value.format('YYYY-MM-DD') : undefined;
}

function datesOf(values: DateValues): OfferDates {
  const dates: OfferDates = {};
  for (const field of DATE_FIELDS) {
    const iso = toIso(values[field]);
    if (iso) dates[field] = iso;
  }
  return dates;
}

/** The services this context may offer: its own, and those of commissioners below it. */
function useOfferableServices() {
  const context = useCurrentContext();
  const organisationId = context?.membership?.organisation_id ?? null;
  const { organisations } = useReachableOrganisations();
  const { services, years, isLoading, error } = useVisibleServices();
  const offerable = useMemo(() => {
    if (!services || !organisationId) return undefined;
    const below = new Set(organisations ? descendantsOf(organisations, organisationId).map((row) => row.id) : []);
    below.add(organisationId);
    return services.filter((service) => below.has(service.commissioner_id));
  }, [services, organisations, organisationId]);
  return { services: offerable, years, isLoading, error };
}

export function OfferWizard() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const { warnWhen, setWarnWhen } = useWarnAboutChange();
  const [params] = useSearchParams();
  const [step, setStep] = useState(0);
  const [serviceId, setServiceId] = useState<string | undefined>(params.get('service') ?? undefined);
  const [paymentType, setPaymentType] = useState<string>(ALL);
  const [year, setYear] = useState<string | undefined>();
  const [providers, setProviders] = useState<string[]>([]);
  const [stepError, setStepError] = useState<string | null>(null);
  const [failure, setFailure] = useState<ErrorDetails | null>(null);
  const [saving, setSaving] = useState(false);
  const [destination, setDestination] = useState<string>();
  const [form] = Form.useForm<DateValues>();
  const dateValues = (Form.useWatch([], { form, preserve: true }) as DateValues | undefined) ?? {};

  const { services, years, isLoading, error } = useOfferableServices();
  const current = useMemo(() => currentFinancialYear(), []);
  const shownYear = year ?? (services ? preferredYear(years, current) : current);
  const service = services?.find((row) => row.id === serviceId);
  const paymentTypes = useMemo(() => [...new Set((services ?? []).map((row) => row.payment_type))].sort(), [services]);
  const choices = useMemo(
    () =>
      (services ?? []).filter(
        (row) => (shownYear === ALL || row.financial_year === shownYear) && (paymentType === ALL || row.payment_type === paymentType),
      ),
    [services, shownYear, paymentType],
  );

  // Providers that already have a live offer of this service cannot get another (offer_service refuses).
  const { offers: liveOffers } = useOffers(
    [
      { field: 'service_id', operator: 'eq', value: serviceId ?? '' },
      { field: 'status', operator: 'ne', value: 'cancelled' },
    ],
    Boolean(serviceId),
  );
  const alreadyOffered = useMemo(() => (liveOffers ?? []).map((offer) => offer.provider_id), [liveOffers]);
  const { candidates, isLoading: candidatesLoading, error: candidatesError } = useProviderCandidates(service?.commissioner_id ?? null, alreadyOffered, {
    // Cluster-restricted Commissioning Management offers to its clusters' providers.
    reachedProvidersWhenCommissionerUnreached: true,
  });
  const chosen = useMemo(() => {
    const ids = new Set(providers);
    return (candidates ?? []).filter((row) => ids.has(row.id));
  }, [candidates, providers]);

  useEffect(() => () => setWarnWhen(false), [setWarnWhen]);
  // Opened with ?service=<id> (from a service's page): its dates are the first suggestion.
  useEffect(() => {
    if (service && !form.getFieldValue('starts_on') && !form.getFieldValue('ends_on')) {
      form.setFieldsValue({ starts_on: dayjs(service.starts_on), ends_on: dayjs(service.ends_on) });
      setYear((shown) => shown ?? service.financial_year);
    }
  }, [service, form]);
  // Navigate once the unsaved-changes warning is really off (else the old guard asks "Leave this page?").
  useEffect(() => {
    if (destination && !warnWhen) navigate(destination);
  }, [destination, warnWhen, navigate]);

  const chooseService = (next: QualityService) => {
    setServiceId(next.id);
    setProviders([]);
    setStepError(null);
    setFailure(null);
    // The service's own dates are the first suggestion for the offer's.
    form.setFieldsValue({ starts_on: dayjs(next.starts_on), ends_on: dayjs(next.ends_on), respond_by: null, target_date: null });
    setWarnWhen(true);
  };

  const dateMessage = (problem: OfferDateProblem): string => {
    switch (problem.kind) {
      case 'required':
        return text(`offers.wizard.required.${problem.field}`);
      case 'outside':
        return text('offers.wizard.outside', {
          what: text(`offers.wizard.field.${problem.field}`).toLowerCase(),
          from: formatDateOnly(service?.starts_on),
          to: formatDateOnly(service?.ends_on),
        });
      case 'endBeforeStart':
        return text('offers.wizard.endBeforeStart');
      case 'responseAfterEnd':
        return text('offers.wizard.responseAfterEnd');
    }
  };

  const dateRule = (field: OfferDateField) => ({
    validator: async () => {
      if (!service) return;
      const problem = offerDateProblems(datesOf(form.getFieldsValue(true) as DateValues), service).find((p) => p.field === field);
      if (problem) throw new Error(dateMessage(problem));
    },
  });

  const next = async () => {
    setStepError(null);
    const name = OFFER_STEPS[step]!;
    if (name === 'service' && !service) {
      setStepError(text('offers.wizard.chooseService'));
      return;
    }
    if (name === 'details') {
      try {
        await form.validateFields(DATE_FIELDS);
      } catch {
        return; // the fields say what is wrong
      }
    }
    if (name === 'providers' && providers.length === 0) {
      setStepError(text('offers.wizard.chooseProvider'));
      return;
    }
    setStep(step + 1);
  };

  const goTo = (target: OfferStep) => {
    setStepError(null);
    setStep(OFFER_STEPS.indexOf(target));
  };

  const submit = async () => {
    if (!service) return goTo('service');
    const dates = datesOf(form.getFieldsValue(true) as DateValues);
    if (offerDateProblems(dates, service).length > 0) return goTo('details');
    if (providers.length === 0) return goTo('providers');
    setSaving(true);
    setFailure(null);
    try {
      await callRpc('offer_service', {
        p_service_id: service.id,
        p_provider_ids: providers,
        p_starts_on: dates.starts_on,
        p_ends_on: dates.ends_on,
        p_respond_by: dates.respond_by,
        p_target_date: dates.target_date,
      });
      await invalidate({ resource: SERVICE_OFFERS, invalidates: ['list'] });
      notify?.({
        type: 'success',
        message: `${text(providers.length === 1 ? 'offers.wizard.doneOne' : 'offers.wizard.done', { service: service.name, n: providers.length })}. ${text('offers.wizard.doneNotified')}`,
      });
      setWarnWhen(false);
      setDestination(path(`/offered-services/${service.id}`));
    } catch (caught) {
      const problem = errorDetails(caught);
      setFailure(problem);
      // Send the person to the step that can put it right.
      if (caught instanceof RpcError && /date/i.test(problem.message)) goTo('details');
      else if (caught instanceof RpcError && caught.code !== 'network') goTo('providers');
    } finally {
      setSaving(false);
    }
  };

  const titles: Record<OfferStep, string> = {
    service: text('offers.wizard.stepService'),
    details: text('offers.wizard.stepDetails'),
    providers: text('offers.wizard.stepProviders'),
    review: text('offers.wizard.stepReview'),
    confirm: text('offers.wizard.stepConfirm'),
  };
  const currentStep = OFFER_STEPS[step]!;

  return (
    <Create title={text('offers.titles.create')} goBack={false} contentProps={{ actions: [] }} headerButtons={() => null}>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        onChange={(target) => {
          if (target < step) {
            setStepError(null);
            setStep(target);
          }
        }}
        items={OFFER_STEPS.map((name, index) => ({ title: titles[name], disabled: index > step }))}
      />

      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${text('offers.wizard.failed')}: ${failure.message}`}
          description={failure.hint}
        />
      )}

      {currentStep === 'service' && (
        <>
          <Typography.Paragraph>{text('offers.wizard.serviceIntro')}</Typography.Paragraph>
          <Space wrap size="large" style={{ marginBottom: 16 }}>
            <Space>
              <Typography.Text id="wizard-payment-type">{text('offers.fields.paymentType')}</Typography.Text>
              <Select
                aria-labelledby="wizard-payment-type"
                value={paymentType}
                onChange={setPaymentType}
                style={{ width: 240 }}
                options={[{ value: ALL, label: text('offers.wizard.allPaymentTypes') }, ...paymentTypes.map((value) => ({ value, label: value }))]}
              />
            </Space>
            <Space>
              <Typography.Text id="wizard-year">{text('offers.fields.financialYear')}</Typography.Text>
              <Select
                aria-labelledby="wizard-year"
                value={shownYear}
                onChange={setYear}
                style={{ width: 180 }}
                options={[
                  { value: ALL, label: text('offers.wizard.allYears') },
                  ...[...new Set([current, ...years])]
                    .sort()
                    .reverse()
                    .map((value) => ({ value, label: value === current ? text('offers.filters.currentYear', { year: value }) : value })),
                ]}
              />
            </Space>
          </Space>
          {error ? (
            <Alert type="error" showIcon message={text('offers.wizard.servicesError')} description={error.message} />
          ) : (
            <Table<QualityService>
              dataSource={choices}
              rowKey="id"
              size="small"
              loading={isLoading}
              pagination={choices.length > 10 ? { pageSize: 10 } : false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('offers.wizard.noServices')} /> }}
              rowSelection={{
                type: 'radio',
                // A column header with a name (axe: empty-table-header); the radios say which service.
                columnTitle: <span className="visually-hidden">{text('offers.wizard.chooseColumn')}</span>,
                selectedRowKeys: serviceId ? [serviceId] : [],
                onChange: (_keys, rows) => rows[0] && chooseService(rows[0]),
                getCheckboxProps: (row) => ({ 'aria-label': row.name }) as never,
              }}
              onRow={(row) => ({ onClick: () => chooseService(row) })}
            >
              <Table.Column<QualityService> title={text('offers.fields.service')} dataIndex="name" render={(value: string) => <Typography.Text strong>{value}</Typography.Text>} />
              <Table.Column<QualityService> title={text('offers.fields.kind')} dataIndex="kind" width={110} render={(value: string) => text(`offers.kind.${value as 'local' | 'national'}`)} />
              <Table.Column<QualityService> title={text('offers.fields.paymentType')} dataIndex="payment_type" />
              <Table.Column<QualityService> title={text('offers.fields.financialYear')} dataIndex="financial_year" width={110} />
              <Table.Column<QualityService>
                title={text('offers.fields.serviceDates')}
                key="dates"
                width={200}
                render={(_, row) => `${formatDateOnly(row.starts_on)} – ${formatDateOnly(row.ends_on)}`}
              />
            </Table>
          )}
        </>
      )}

      <div hidden={currentStep !== 'details'}>
        {service && (
          <Typography.Paragraph>
            {text('offers.wizard.detailsIntro', {
              service: service.name,
              from: formatDateOnly(service.starts_on),
              to: formatDateOnly(service.ends_on),
            })}
          </Typography.Paragraph>
        )}
        <Form<DateValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          style={{ maxWidth: 640 }}
          onValuesChange={() => setWarnWhen(true)}
          onFinish={() => void next()}
        >
          <Space wrap size="large" align="start">
            {DATE_FIELDS.map((field) => (
              <Form.Item
                key={field}
                name={field}
                label={text(`offers.wizard.field.${field}`)}
                extra={text(`offers.wizard.help.${field}`)}
                dependencies={field === 'ends_on' ? ['starts_on'] : field === 'respond_by' ? ['ends_on'] : []}
                rules={[dateRule(field)]}
                style={{ width: 280 }}
              >
                <DatePicker
                  format="DD/MM/YYYY"
                  placeholder="DD/MM/YYYY"
                  style={{ width: '100%' }}
                  defaultPickerValue={service ? dayjs(service.starts_on) : undefined}
                />
              </Form.Item>
            ))}
          </Space>
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </div>

      {currentStep === 'providers' && service && (
        <>
          <Typography.Paragraph>
            {text('offers.wizard.providersIntro', { commissioner: service.commissioner?.name ?? '' })}
          </Typography.Paragraph>
          {alreadyOffered.length > 0 && (
            <Typography.Paragraph type="secondary">{alreadyOffered.length === 1 ? text('offers.wizard.alreadyOfferedOne') : text('offers.wizard.alreadyOffered', { n: alreadyOffered.length })}</Typography.Paragraph>
          )}
          <OrganisationPicker
            candidates={candidates}
            loading={candidatesLoading}
            error={candidatesError}
            selected={providers}
            onChange={(ids) => {
              setProviders(ids);
              setStepError(null);
              setWarnWhen(true);
            }}
          />
        </>
      )}

      {(currentStep === 'review' || currentStep === 'confirm') && service && (
        <div style={{ maxWidth: 880 }}>
          {currentStep === 'review' && <Typography.Paragraph>{text('offers.wizard.reviewIntro')}</Typography.Paragraph>}
          {currentStep === 'review' && (
            <NothingToClaimWarning service={service} startsOn={toIso(dateValues.starts_on) ?? ''} endsOn={toIso(dateValues.ends_on) ?? ''} />
          )}
          <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={text('offers.fields.service')}>
              <ReviewRow onChange={currentStep === 'review' ? () => goTo('service') : undefined} what={text('offers.fields.service')}>
                <div>
                  <Typography.Text strong>{service.name}</Typography.Text>
                  <div>
                    <ServiceHeading service={service} />
                  </div>
                </div>
              </ReviewRow>
            </Descriptions.Item>
            <Descriptions.Item label={text('offers.wizard.datesLabel')}>
              <ReviewRow onChange={currentStep === 'review' ? () => goTo('details') : undefined} what={text('offers.wizard.datesLabel')}>
                <div>
                  {DATE_FIELDS.map((field) => (
                    <div key={field}>
                      {text(`offers.wizard.field.${field}`)}: <Typography.Text strong>{formatDateOnly(toIso(dateValues[field]))}</Typography.Text>
                    </div>
                  ))}
                </div>
              </ReviewRow>
            </Descriptions.Item>
            <Descriptions.Item label={text('offers.wizard.providersLabel', { n: chosen.length })}>
              <ReviewRow onChange={currentStep === 'review' ? () => goTo('providers') : undefined} what={text('offers.fields.providers')}>
                <AntList
                  size="small"
                  dataSource={chosen}
                  style={{ maxHeight: 240, overflowY: 'auto', width: '100%' }}
                  renderItem={(row) => (
                    <AntList.Item>
                      <Typography.Text strong>{row.ods_code}</Typography.Text>&nbsp;{row.name}
                    </AntList.Item>
                  )}
                />
              </ReviewRow>
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}

      {currentStep === 'confirm' && service && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16, maxWidth: 880 }}
          message={text('offers.wizard.sure')}
          description={text(chosen.length === 1 ? 'offers.wizard.sureTextOne' : 'offers.wizard.sureText', { service: service.name, n: chosen.length })}
        />
      )}

      {stepError && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16, maxWidth: 640 }} message={stepError} />}

      <Space style={{ marginTop: 16 }}>
        {step > 0 && (
          <Button icon={<ArrowLeftOutlined />} onClick={() => goTo(OFFER_STEPS[step - 1]!)} disabled={saving}>
            {text('offers.wizard.back')}
          </Button>
        )}
        {currentStep === 'confirm' ? (
          <Button type="primary" icon={<SendOutlined />} loading={saving} onClick={() => void submit()}>
            {text('offers.wizard.submit')}
          </Button>
        ) : (
          <Button type="primary" icon={<ArrowRightOutlined />} iconPosition="end" onClick={() => void next()}>
            {text('offers.wizard.next')}
          </Button>
        )}
      </Space>
    </Create>
  );
}

function ReviewRow({ children, onChange, what }: { children: ReactNode; onChange: (() => void) | undefined; what: string }) {
  const text = useAreaText(dictionary);
  return (
    <Space style={{ width: '100%', justifyContent: 'space-between', alignItems: 'flex-start' }}>
      {children}
      {onChange && (
        <Button type="link" size="small" onClick={onChange} aria-label={text('offers.wizard.changeLabel', { what: what.toLowerCase() })}>
          {text('offers.wizard.change')}
        </Button>
      )}
    </Space>
  );
}
