// The reason for disabling an account, as the database accepts it
// (public.disable_reason; "Other" needs a text of at most 250 characters).
// Used inside an antd <Form>; disableReasonArgs() turns the values into the
// RPC's p_reason / p_reason_text.
import { useTranslate } from '@refinedev/core';
import { Form, Input, Radio, Space } from 'antd';
import { Constants, type Database } from '../types/database.ts';

export type DisableReason = Database['public']['Enums']['disable_reason'];

export const DISABLE_REASONS: readonly DisableReason[] = Constants.public.Enums.disable_reason;

/** The limit of public.disable_reason 'other' texts (checked by the database too). */
export const REASON_TEXT_MAX_LENGTH = 250;

export const DISABLE_REASON_FIELD = 'reason';
export const DISABLE_REASON_TEXT_FIELD = 'reason_text';

export interface DisableReasonValues {
  reason?: DisableReason;
  reason_text?: string;
}

/** The RPC arguments of disable_account / disable_own_account. */
export function disableReasonArgs(values: DisableReasonValues): { p_reason: DisableReason; p_reason_text: string | null } {
  if (!values.reason) throw new Error('A disable reason is required');
  const text = values.reason === 'other' ? (values.reason_text ?? '').trim() : '';
  return { p_reason: values.reason, p_reason_text: text || null };
}

export interface DisableReasonFieldsProps {
  /** Form field names, if the form uses others. */
  reasonName?: string;
  textName?: string;
}

const RADIOGROUP_ROLE = { role: 'radiogroup' } as Record<string, string>;

export function DisableReasonFields({
  reasonName = DISABLE_REASON_FIELD,
  textName = DISABLE_REASON_TEXT_FIELD,
}: DisableReasonFieldsProps) {
  const translate = useTranslate();
  const form = Form.useFormInstance();
  const reason = Form.useWatch(reasonName, form) as DisableReason | undefined;
  const text = (Form.useWatch(textName, form) as string | undefined) ?? '';
  return (
    <>
      <Form.Item
        name={reasonName}
        label={translate('disableReason.label', 'Reason')}
        rules={[{ required: true, message: translate('disableReason.required', 'Choose a reason.') }]}
      >
        {/* antd passes `role` through (not in its types): Form.Item's aria-required needs a role that allows it. */}
        <Radio.Group {...RADIOGROUP_ROLE}>
          <Space direction="vertical">
            {DISABLE_REASONS.map((value) => (
              <Radio key={value} value={value}>
                {translate(`disableReason.${value}`, value)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      {reason === 'other' && (
        <Form.Item
          name={textName}
          label={translate('disableReason.otherLabel', 'Describe the reason')}
          extra={
            // Form.Item ties the extra to the field (aria-describedby): read with it, not announced on every key.
            <span>
              {translate(
                'common.characters',
                { count: text.length, max: REASON_TEXT_MAX_LENGTH },
                `${text.length} / ${REASON_TEXT_MAX_LENGTH}`,
              )}
            </span>
          }
          rules={[
            {
              required: true,
              whitespace: true,
              message: translate('disableReason.otherRequired', 'Say why, in at most 250 characters.'),
            },
            {
              max: REASON_TEXT_MAX_LENGTH,
              message: translate('disableReason.tooLong', 'Use at most 250 characters.'),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={REASON_TEXT_MAX_LENGTH} autoFocus />
        </Form.Item>
      )}
    </>
  );
}
