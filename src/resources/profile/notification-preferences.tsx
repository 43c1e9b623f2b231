// "Email notifications" on the profile page: for each kind of message, in
// groups, "Email" (the default) or "Portal only". Each change is saved at
// once through public.set_notification_preferences; a portal-only message
// still appears in the portal's messages but is never emailed. Some messages
// about the account itself are always emailed (listed, not choosable).
import { useList, useNotification, useTranslate, type HttpError } from '@refinedev/core';
import { Alert, Card, Grid, Radio, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import {
  ALWAYS_EMAILED_KINDS,
  deliveryOf,
  notificationGroups,
  type NotificationDelivery,
  type NotificationKind,
} from './notification-groups.ts';

export const NOTIFICATION_PREFERENCES = 'notification_preferences';

interface PreferenceRow {
  kind: NotificationKind;
  delivery: NotificationDelivery;
}

export function NotificationPreferencesCard() {
  const translate = useTranslate();
  const { open: notify } = useNotification();
  const [saving, setSaving] = useState<string>();
  const { result, query } = useList<PreferenceRow, HttpError>({
    resource: NOTIFICATION_PREFERENCES,
    pagination: { mode: 'off' },
    meta: { select: 'kind,delivery' },
    errorNotification: false,
  });
  const preferences = result.data;
  const kindLabel = (kind: string) => translate(`profile.notifications.kind.${kind}`, kind.replace(/_/g, ' '));

  const choose = async (kinds: NotificationKind[], delivery: NotificationDelivery, label: string) => {
    setSaving(kinds.join(','));
    try {
      await callRpc('set_notification_preferences', { p_kinds: kinds, p_delivery: delivery });
      notify?.({
        type: 'success',
        key: 'notification-preferences',
        message: translate(
          delivery === 'email' ? 'profile.notifications.savedEmail' : 'profile.notifications.savedPortal',
          { what: label },
          delivery === 'email' ? `${label}: emailed` : `${label}: in the portal only`,
        ),
      });
      await query.refetch();
    } catch (error) {
      const { message, description } = describeRpcError(error);
      notify?.({ type: 'error', key: 'notification-preferences', message, description });
    } finally {
      setSaving(undefined);
    }
  };

  // On a phone the message and its choice share one column, the choice under the words
  // (side by side, the message wrapped a word per line).
  const stacked = Grid.useBreakpoint().md === false;
  const deliveryChoice = (kind: NotificationKind) => (
    <div role="radiogroup" aria-label={kindLabel(kind)}>
      <Radio.Group
        name={`delivery-${kind}`}
        value={deliveryOf(kind, preferences)}
        disabled={query.isLoading || saving !== undefined}
        onChange={(event) => void choose([kind], event.target.value as NotificationDelivery, kindLabel(kind))}
        optionType="button"
        options={[
          { value: 'email', label: translate('profile.notifications.email', 'Email') },
          { value: 'portal_only', label: translate('profile.notifications.portalOnly', 'Portal only') },
        ]}
      />
    </div>
  );

  return (
    <Card title={translate('profile.notifications.title', 'Email notifications')}>
      <Typography.Paragraph>
        {translate(
          'profile.notifications.intro',
          'Choose which messages are also emailed to you. Every message is always in your messages in the portal.',
        )}
      </Typography.Paragraph>
      {query.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={translate('profile.notifications.loadError', 'Your choices could not be loaded')}
          description={query.error?.message}
        />
      )}
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {notificationGroups().map((group) => {
          const groupTitle = translate(`profile.notifications.group.${group.key}`, group.key);
          return (
            <Table<{ kind: NotificationKind }>
              key={group.key}
              aria-label={groupTitle}
              title={() => (
                <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                  {groupTitle}
                </Typography.Title>
              )}
              size="small"
              pagination={false}
              loading={query.isLoading}
              rowKey="kind"
              dataSource={group.kinds.map((kind) => ({ kind }))}
              columns={(
                [
                  {
                    key: 'kind',
                    title: translate('profile.notifications.message', 'Message'),
                    render: (_, row) =>
                      stacked ? (
                        <Space direction="vertical" size={8}>
                          {kindLabel(row.kind)}
                          {deliveryChoice(row.kind)}
                        </Space>
                      ) : (
                        kindLabel(row.kind)
                      ),
                  },
                  {
                    key: 'delivery',
                    title: translate('profile.notifications.delivery', 'How'),
                    width: 260,
                    render: (_, row) => deliveryChoice(row.kind),
                  },
                ] satisfies TableColumnsType<{ kind: NotificationKind }>
              ).filter((column) => !stacked || column.key === 'kind')}
            />
          );
        })}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {translate('profile.notifications.always', { kinds: ALWAYS_EMAILED_KINDS.map(kindLabel).join(', ') }, '')}
      </Typography.Paragraph>
    </Card>
  );
}
