// Rename a cluster or change its description (update_cluster). The short name
// is the system's and never changes.
import { Edit, ResultTitle } from '../../components/page.tsx';
import { useInvalidate, useNotification, useOne, useWarnAboutChange, type HttpError } from '@refinedev/core';
import { Alert, Button, Form, Result } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { callRpc } from '../../components/rpc.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { useContextPath } from '../../components/context-links.ts';
import { MY_ORGANISATIONS, REACH_SELECT } from '../organisations/reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import type { ReachableOrganisation } from '../organisations/tree.ts';
import { ClusterDetailsFields } from './details-fields.tsx';
import dictionary from './i18n.ts';
import { CLUSTERS, clusterTextArguments, type Cluster, type ClusterDetailsValues } from './model.ts';

export function ClusterEdit() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const { setWarnWhen } = useWarnAboutChange();
  const { id } = useParams<{ id: string }>();
  const context = useCurrentContext();
  const [form] = Form.useForm<ClusterDetailsValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ErrorDetails | null>(null);

  const { result: cluster, query } = useOne<Cluster, HttpError>({
    resource: CLUSTERS,
    id: id ?? '',
    errorNotification: false,
    queryOptions: { enabled: !!id },
  });
  const commissionerId = cluster?.commissioner_id ?? null;
  const fromContext = context?.membership?.organisation_id === commissionerId ? context?.membership : null;
  const { result: commissioner } = useOne<ReachableOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    id: commissionerId ?? '',
    meta: { select: REACH_SELECT },
    errorNotification: false,
    queryOptions: { enabled: !!commissionerId && !fromContext },
  });

  useEffect(() => {
    if (cluster) form.setFieldsValue({ name: cluster.name, description: cluster.description });
  }, [cluster, form]);

  if (query.isSuccess && !cluster) {
    return (
      <Result
        status="404"
        title={<ResultTitle>{text('clusters.show.notFound')}</ResultTitle>}
        subTitle={text('clusters.show.notFoundHelp')}
        extra={<Link to={path('/clusters')}>{text('clusters.show.backToList')}</Link>}
      />
    );
  }

  const save = async (values: ClusterDetailsValues) => {
    if (!cluster) return;
    setSaving(true);
    setFailure(null);
    try {
      await callRpc('update_cluster', { p_cluster_id: cluster.id, ...clusterTextArguments(values) });
      setWarnWhen(false);
      await invalidate({ resource: CLUSTERS, invalidates: ['all'] });
      notify?.({ type: 'success', message: text('clusters.edit.saved', { shortName: cluster.short_name }) });
      navigate(path(`/clusters/${cluster.id}`));
    } catch (error) {
      const details = errorDetails(error);
      setFailure(details);
      if (details.code === '23505' || details.code === '22023') form.setFields([{ name: 'name', errors: [details.message] }]);
    } finally {
      setSaving(false);
    }
  };

  const commissionerOds = fromContext?.ods_code ?? commissioner?.ods_code ?? '';
  const commissionerName = fromContext?.name ?? commissioner?.name ?? '';

  return (
    <Edit
      goBack={false}
      title={cluster ? `${text('clusters.titles.edit')} ${cluster.short_name}` : text('clusters.titles.edit')}
      isLoading={query.isLoading}
      headerButtons={() => null}
      footerButtons={() => (
        <Button type="primary" loading={saving} onClick={() => form.submit()} disabled={!cluster}>
          {text('clusters.edit.save')}
        </Button>
      )}
    >
      {query.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('clusters.show.loadError')} description={query.error?.message} />}
      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${text('clusters.edit.failed')}: ${failure.message}`}
          description={failure.hint}
        />
      )}
      <Form<ClusterDetailsValues>
        form={form}
        name="cluster-details"
        layout="vertical"
        style={{ maxWidth: 720 }}
        onFinish={(values) => void save(values)}
        onValuesChange={() => setWarnWhen(true)}
      >
        <ClusterDetailsFields shortName={cluster?.short_name} commissionerOds={commissionerOds} commissionerName={commissionerName} />
      </Form>
    </Edit>
  );
}
