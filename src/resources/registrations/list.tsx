// The pending registrations queue: people who registered and wait for a
// decision the caller may take (public.pending_registrations decides which:
// the Support Desk sees every one, administrators what they may decide).
import { WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import { DecisionQueue } from './queue.tsx';
import { useText } from './text.ts';
import { PENDING_REGISTRATIONS_VIEW, type PendingRegistration } from './types.ts';

/** antd's "warning" tag colours with darker text: the preset's orange fails WCAG AA contrast at 12px. */
const GENERIC_TAG_STYLE = { color: '#874d00', background: '#fffbe6', borderColor: '#ffd666' } as const;

export function RegistrationFlags({ row }: { row: Pick<PendingRegistration, 'generic_mailbox' | 'commissioner_administrator'> }) {
  const text = useText();
  if (!row.generic_mailbox && !row.commissioner_administrator) return null;
  return (
    <Space size={[0, 4]} wrap>
      {row.generic_mailbox && (
        <Tooltip title={text('registrations.list.genericTagHelp')}>
          <Tag icon={<WarningOutlined aria-hidden />} style={GENERIC_TAG_STYLE}>
            {text('registrations.list.genericTag')}
          </Tag>
        </Tooltip>
      )}
      {row.commissioner_administrator && (
        <Tooltip title={text('registrations.list.supportDeskTagHelp')}>
          <Tag color="purple">{text('registrations.list.supportDeskTag')}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

export function RegistrationList() {
  return (
    <DecisionQueue<PendingRegistration>
      area="registrations"
      view={PENDING_REGISTRATIONS_VIEW}
      rowKey="profile_id"
      dateField="registered_at"
      dateTitle="registrations.list.registered"
      personExtra={(row) => <RegistrationFlags row={row} />}
    />
  );
}
