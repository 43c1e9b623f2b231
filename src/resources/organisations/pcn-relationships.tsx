// A practice's PCN relationships, managed by commissioners: "Add to PCN" with a
// start date (a practice without a current PCN), "Move to another PCN" (ends
// the current relationship the day before the new one starts, in one action:
// move_pcn_membership), and "End relationship" with an end date. The database decides
// (add_pcn_membership / end_pcn_membership: who may, no overlap, end on or
// after start); the forms repeat the simple rules only to answer sooner.
import { useInvalidate, useList, useNotification, type HttpError } from '@refinedev/core';
import { Alert, Button, DatePicker, Form, Modal, Select, Typography, type DatePickerProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { callRpc } from '../../components/rpc.ts';
import { formatDateOnly, fromIsoDate, toIsoDate, UK_DATE_INPUT_FORMAT, withCommittedValues } from '../../lib/calendar-dates.ts';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import dictionary from './i18n.ts';
import { CURRENT_PCN_MEMBERSHIPS, MY_ORGANISATIONS, REACH_SELECT } from './reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import type { ReachableOrganisation } from './tree.ts';
import { mustChoose } from '../../components/form-rules.ts';

export const PCN_MEMBERSHIPS = 'pcn_memberships';

interface OrganisationLabel {
  id: string;
  ods_code: string;
  name: string;
}

/** One row of a practice's PCN history. */
export interface PcnRelationship {
  id: string;
  practice_id: string;
  pcn_id: string;
  valid_from: string;
  /** Last day in the PCN (inclusive); null while current. */
  valid_to: string | null;
  pcn?: OrganisationLabel | null;
  practice?: OrganisationLabel | null;
}

function label(organisation: OrganisationLabel | null | undefined): string {
  return organisation ? `${organisation.name} (${organisation.ods_code})` : '–';
}

/**
 * The calendar opens beside its field, inside the dialog: the dialog focuses the
 * field while it is still being attached, and a calendar elsewhere in the page
 * would then belong to another document root (antd warns about exactly that).
 */
function popupBesideField(trigger: HTMLElement): HTMLElement {
  return trigger.parentElement ?? document.body;
}

function DatabaseError({ error }: { error: ErrorDetails | null }) {
  if (!error) return null;
  return <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error.message} description={error.hint} />;
}

/** The PCNs the caller reaches, loaded once a dialog that offers them opens. */
function usePcnChoices(open: boolean) {
  return useList<ReachableOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    filters: [{ field: 'type', operator: 'eq', value: 'pcn' }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { mode: 'off' },
    meta: { select: REACH_SELECT },
    errorNotification: false,
    queryOptions: { enabled: open },
  });
}

/**
 * What the three relationship dialogs share: open/close (a closed dialog forgets its
 * values and error), and `run`, which calls the action, shows the database's refusal
 * in the dialog or, on success, refreshes the PCN history and the tree's current PCNs
 * and closes.
 */
function useRelationshipDialog<Values>() {
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ErrorDetails | null>(null);
  const [form] = Form.useForm<Values>();

  const close = () => {
    setOpen(false);
    setFailure(null);
    form.resetFields();
  };

  const run = async (action: () => Promise<unknown>, onDone: () => void) => {
    setSubmitting(true);
    setFailure(null);
    try {
      await action();
      onDone();
      await invalidate({ resource: PCN_MEMBERSHIPS, invalidates: ['all'] });
      await invalidate({ resource: CURRENT_PCN_MEMBERSHIPS, invalidates: ['all'] });
      close();
    } catch (error) {
      setFailure(errorDetails(error));
    } finally {
      setSubmitting(false);
    }
  };

  return { open, show: () => setOpen(true), close, submitting, failure, form, run };
}

/** A day in DD/MM/YYYY, its calendar inside the dialog. */
function RelationshipDatePicker(props: DatePickerProps) {
  return (
    <DatePicker
      {...props}
      format={UK_DATE_INPUT_FORMAT}
      placeholder={UK_DATE_INPUT_FORMAT}
      style={{ width: 200 }}
      getPopupContainer={popupBesideField}
    />
  );
}

interface AddValues {
  pcn_id: string;
  valid_from: Dayjs;
}

/** "Add to PCN": choose one of the PCNs you reach and the first day. */
export function AddToPcnButton({ practice }: { practice: OrganisationLabel }) {
  const text = useAreaText(dictionary);
  const { open: notify } = useNotification();
  const { open, show, close, submitting, failure, form, run } = useRelationshipDialog<AddValues>();
  const pcns = usePcnChoices(open);

  const add = (values: AddValues) =>
    run(
      () => callRpc('add_pcn_membership', { p_practice_id: practice.id, p_pcn_id: values.pcn_id, p_valid_from: toIsoDate(values.valid_from) }),
      () => {
        const pcn = pcns.result.data.find((row) => row.id === values.pcn_id);
        notify?.({
          type: 'success',
          message: text('organisations.pcn.added', {
            practice: practice.name,
            pcn: pcn ? pcn.name : values.pcn_id,
            from: values.valid_from.format(UK_DATE_INPUT_FORMAT),
          }),
        });
      },
    );

  return (
    <>
      <Button type="primary" onClick={show}>
        {text('organisations.pcn.add')}
      </Button>
      <Modal
        open={open}
        title={text('organisations.pcn.addTitle', { practice: practice.name })}
        okText={text('organisations.pcn.add')}
        cancelText={text('organisations.actions.cancel')}
        onOk={() => form.submit()}
        onCancel={close}
        confirmLoading={submitting}
        destroyOnHidden
      >
        <DatabaseError error={failure} />
        {pcns.query.isError && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('organisations.pcn.pcnsError')} description={pcns.query.error?.message} />
        )}
        <Form<AddValues>
          form={form}
          name="add-to-pcn"
          layout="vertical"
          onFinish={() => void withCommittedValues(form, add)}
          // Both fields are needed; "(optional)" would be wrong for the PCN.
          requiredMark={false}
        >
          <Form.Item
            name="pcn_id"
            label={text('organisations.pcn.pcn')}
            rules={[mustChoose(text('organisations.pcn.pcnRequired'))]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={pcns.query.isLoading}
              placeholder={text('organisations.pcn.pcnPlaceholder')}
              notFoundContent={pcns.query.isLoading ? text('organisations.tree.loading') : text('organisations.pcn.noPcns')}
              options={pcns.result.data.map((pcn) => ({ value: pcn.id, label: `${pcn.name} (${pcn.ods_code})` }))}
            />
          </Form.Item>
          <Form.Item
            name="valid_from"
            label={text('organisations.pcn.startDate')}
            extra={text('organisations.pcn.dateFormat')}
            rules={[{ required: true, message: text('organisations.pcn.startRequired') }]}
          >
            <RelationshipDatePicker />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface EndValues {
  valid_to: Dayjs;
}

/** "End relationship": the last day in the PCN (inclusive), then a confirmation. */
export function EndRelationshipButton({ relationship, practiceName }: { relationship: PcnRelationship; practiceName: string }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const { open, show, close, submitting, failure, form, run } = useRelationshipDialog<EndValues>();
  const start = fromIsoDate(relationship.valid_from);
  const pcnName = relationship.pcn?.name ?? relationship.pcn_id;

  const end = async (values: EndValues) => {
    const endDate = values.valid_to.format(UK_DATE_INPUT_FORMAT);
    const confirmed = await confirm({
      title: text('organisations.pcn.endConfirmTitle'),
      content: text('organisations.pcn.endConfirm', { practice: practiceName, pcn: pcnName, to: endDate }),
      okText: text('organisations.pcn.end'),
      danger: true,
    });
    if (!confirmed) return;
    await run(
      () => callRpc('end_pcn_membership', { p_pcn_membership_id: relationship.id, p_valid_to: toIsoDate(values.valid_to) }),
      () => notify?.({ type: 'success', message: text('organisations.pcn.ended', { practice: practiceName, pcn: pcnName, to: endDate }) }),
    );
  };

  return (
    <>
      <Button danger onClick={show} aria-label={text('organisations.pcn.endLabel', { pcn: pcnName })}>
        {text('organisations.pcn.end')}
      </Button>
      <Modal
        open={open}
        title={text('organisations.pcn.endTitle', { pcn: pcnName })}
        okText={text('organisations.pcn.end')}
        okButtonProps={{ danger: true }}
        cancelText={text('organisations.actions.cancel')}
        onOk={() => form.submit()}
        onCancel={close}
        confirmLoading={submitting}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {text('organisations.pcn.endIntro', { practice: practiceName, pcn: pcnName, from: formatDateOnly(relationship.valid_from) })}
        </Typography.Paragraph>
        <DatabaseError error={failure} />
        <Form<EndValues>
          form={form}
          name="end-pcn-relationship"
          layout="vertical"
          onFinish={() => void withCommittedValues(form, end)}
          requiredMark={false}
        >
          <Form.Item
            name="valid_to"
            label={text('organisations.pcn.endDate')}
            extra={text('organisations.pcn.endDateHelp')}
            rules={[
              { required: true, message: text('organisations.pcn.endRequired') },
              {
                validator: async (_, value: Dayjs | null | undefined) => {
                  if (value && value.isBefore(start, 'day')) {
                    throw new Error(text('organisations.pcn.endBeforeStart', { from: formatDateOnly(relationship.valid_from) }));
                  }
                },
              },
            ]}
          >
            <RelationshipDatePicker />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface MoveValues {
  pcn_id: string;
  valid_from: Dayjs;
}

/**
 * "Move to another PCN": the new PCN and its first day; the current
 * relationship ends the day before (one action: move_pcn_membership), after a
 * confirmation that names both dates.
 */
export function MoveToAnotherPcnButton({ practice, current }: { practice: OrganisationLabel; current: PcnRelationship }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const { open, show, close, submitting, failure, form, run } = useRelationshipDialog<MoveValues>();
  const start = fromIsoDate(current.valid_from);
  const currentName = current.pcn?.name ?? current.pcn_id;
  const pcns = usePcnChoices(open);
  const choices = pcns.result.data.filter((pcn) => pcn.id !== current.pcn_id);

  const move = async (values: MoveValues) => {
    const pcn = choices.find((row) => row.id === values.pcn_id);
    const pcnName = pcn ? pcn.name : values.pcn_id;
    const from = values.valid_from.format(UK_DATE_INPUT_FORMAT);
    const lastDay = values.valid_from.subtract(1, 'day').format(UK_DATE_INPUT_FORMAT);
    const confirmed = await confirm({
      title: text('organisations.pcn.moveConfirmTitle', { practice: practice.name, pcn: pcnName }),
      content: text('organisations.pcn.moveConfirm', { practice: practice.name, old: currentName, pcn: pcnName, to: lastDay, from }),
      okText: text('organisations.pcn.move'),
      danger: true,
    });
    if (!confirmed) return;
    await run(
      () => callRpc('move_pcn_membership', { p_practice_id: practice.id, p_new_pcn_id: values.pcn_id, p_valid_from: toIsoDate(values.valid_from) }),
      () => notify?.({ type: 'success', message: text('organisations.pcn.moved', { practice: practice.name, pcn: pcnName, from }) }),
    );
  };

  return (
    <>
      <Button type="primary" onClick={show}>
        {text('organisations.pcn.move')}
      </Button>
      <Modal
        open={open}
        title={text('organisations.pcn.moveTitle', { practice: practice.name })}
        okText={text('organisations.pcn.move')}
        cancelText={text('organisations.actions.cancel')}
        onOk={() => form.submit()}
        onCancel={close}
        confirmLoading={submitting}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {text('organisations.pcn.moveIntro', { practice: practice.name, pcn: currentName, from: formatDateOnly(current.valid_from) })}
        </Typography.Paragraph>
        <DatabaseError error={failure} />
        {pcns.query.isError && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('organisations.pcn.pcnsError')} description={pcns.query.error?.message} />
        )}
        <Form<MoveValues>
          form={form}
          name="move-to-another-pcn"
          layout="vertical"
          onFinish={() => void withCommittedValues(form, move)}
          requiredMark={false}
        >
          <Form.Item name="pcn_id" label={text('organisations.pcn.newPcn')} rules={[mustChoose(text('organisations.pcn.pcnRequired'))]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={pcns.query.isLoading}
              placeholder={text('organisations.pcn.pcnPlaceholder')}
              notFoundContent={pcns.query.isLoading ? text('organisations.tree.loading') : text('organisations.pcn.noOtherPcns')}
              options={choices.map((pcn) => ({ value: pcn.id, label: `${pcn.name} (${pcn.ods_code})` }))}
            />
          </Form.Item>
          <Form.Item
            name="valid_from"
            label={text('organisations.pcn.moveDate')}
            extra={text('organisations.pcn.moveDateHelp')}
            rules={[
              { required: true, message: text('organisations.pcn.moveDateRequired') },
              {
                validator: async (_, value: Dayjs | null | undefined) => {
                  if (value && !value.isAfter(start, 'day')) {
                    throw new Error(
                      text('organisations.pcn.moveNotAfterStart', {
                        from: formatDateOnly(current.valid_from),
                        earliest: start.add(1, 'day').format(UK_DATE_INPUT_FORMAT),
                      }),
                    );
                  }
                },
              },
            ]}
          >
            <RelationshipDatePicker />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export { label as organisationLabel };
