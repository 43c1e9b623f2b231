// The cluster's name and description fields, shared by create and edit, with
// the short name shown as the system's to make.
import { Form, Input, Typography } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { CLUSTER_DESCRIPTION_MAX, CLUSTER_NAME_MAX, clusterDescriptionRules, clusterNameRules } from './model.ts';

export function ClusterDetailsFields({
  shortName,
  commissionerOds,
  commissionerName,
}: {
  /** The existing short name (edit), or undefined before the cluster exists. */
  shortName?: string | undefined;
  commissionerOds: string;
  commissionerName: string;
}) {
  const text = useAreaText(dictionary);
  return (
    <>
      <Form.Item label={text('clusters.fields.shortName')}>
        {shortName ? (
          <>
            <Typography.Text strong>{shortName}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {text('clusters.shortName.fixed')}
            </Typography.Paragraph>
          </>
        ) : (
          <Typography.Text type="secondary">{text('clusters.shortName.systemMade', { ods: commissionerOds })}</Typography.Text>
        )}
      </Form.Item>
      <Form.Item
        name="name"
        label={text('clusters.fields.name')}
        extra={text('clusters.name.help', { commissioner: commissionerName })}
        rules={clusterNameRules(text)}
        validateFirst
      >
        <Input showCount count={{ max: CLUSTER_NAME_MAX, strategy: (value) => value.trim().length }} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="description"
        label={text('clusters.fields.description')}
        extra={text('clusters.description.help')}
        rules={clusterDescriptionRules(text)}
      >
        <Input.TextArea
          rows={4}
          showCount
          count={{ max: CLUSTER_DESCRIPTION_MAX, strategy: (value) => value.trim().length }}
        />
      </Form.Item>
    </>
  );
}
