// Create a cluster in three steps: details (name, description; the short name
// is the system's), organisations (the commissioner's providers, Select All),
// review. Saving calls create_cluster, then add_cluster_organisation for each
// organisation, one after the other (each is audited and takes the cluster's
// lock). The commissioner is the current context's organisation.
import { Create } from '../../components/page.tsx';
import { useDataProvider, useInvalidate, useNotification, useWarnAboutChange } from '@refinedev/core';
import { Alert, Button, Descriptions, Form, List as AntList, Progress, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { callRpc } from '../../components/rpc.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import { ClusterDetailsFields } from './details-fields.tsx';
import dictionary from './i18n.ts';
import {
  CLUSTER_ASSIGNMENTS,
  CLUSTER_ORGANISATIONS,
  CLUSTERS,
  clusterTextArguments,
  type Cluster,
  type ClusterDetailsValues,
} from './model.ts';
import { OrganisationPicker, useProviderCandidates } from './organisation-picker.tsx';

/** Add organisations one by one; returns the ids that failed, with the database's reason. */
export async function addOrganisations(
  clusterId: string,
  organisationIds: readonly string[],
  onProgress: (done: number) => void,
): Promise<{ id: string; error: ErrorDetails }[]> {
  const failures: { id: string; error: ErrorDetails }[] = [];
  let done = 0;
  for (const organisationId of organisationIds) {
    try {
      await callRpc('add_cluster_organisation', { p_cluster_id: clusterId, p_organisation_id: organisationId });
    } catch (error) {
      failures.push({ id: organisationId, error: errorDetails(error) });
    }
    done += 1;
    onProgress(done);
  }
  return failures;
}

/** Case as the database's unique index compares it: lower(name) of the trimmed name. */
function sameClusterName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Whether the commissioner already has a cluster of this name, whatever the
 * letter case (clusters_name_per_commissioner_key is on lower(name)). Asked
 * through RLS before the next step so the person hears it where they typed
 * it; create_cluster still decides (another administrator may be quicker).
 */
export async function clusterNameTaken(
  dataProvider: ReturnType<typeof useDataProvider>,
  commissionerId: string,
  name: string,
): Promise<boolean> {
  // "contains" (ilike) finds every case of the name, and a few more that the exact comparison below drops.
  const { data } = await dataProvider().getList<Pick<Cluster, 'id' | 'name'>>({
    resource: CLUSTERS,
    filters: [
      { field: 'commissioner_id', operator: 'eq', value: commissionerId },
      { field: 'name', operator: 'contains', value: name.trim() },
    ],
    pagination: { currentPage: 1, pageSize: 100 },
    meta: { select: 'id,name' },
  });
  return data.some((cluster) => sameClusterName(cluster.name, name));
}

export function ClusterCreate() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const { setWarnWhen } = useWarnAboutChange();
  const dataProvider = useDataProvider();
  const [checkingName, setCheckingName] = useState(false);
  const context = useCurrentContext();
  const commissioner = context?.membership ?? null;

  const [form] = Form.useForm<ClusterDetailsValues>();
  const [step, setStep] = useState(0);
  const [details, setDetails] = useState<ClusterDetailsValues>({ name: '' });
  const [selected, setSelected] = useState<string[]>([]);
  const [saving, setSaving] = useState<{ done: number; total: number } | null>(null);
  const [failure, setFailure] = useState<ErrorDetails | null>(null);

  const { candidates, isLoading, error } = useProviderCandidates(commissioner?.organisation_id ?? null);

  // Each step replaces the buttons that moved to it, which takes the keyboard focus
  // with them: give it to the new step's first thing (the picker focuses its search itself).
  const review = useRef<HTMLDivElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    if (step === 0) form.getFieldInstance('name')?.focus();
    if (step === 2) review.current?.focus();
  }, [step, form]);
  const chosen = useMemo(() => {
    const ids = new Set(selected);
    return (candidates ?? []).filter((row) => ids.has(row.id));
  }, [candidates, selected]);

  if (!commissioner) {
    return (
      <Create goBack={false} title={text('clusters.titles.create')} footerButtons={() => null}>
        <Alert type="warning" showIcon message={text('clusters.list.noCommissioner')} />
      </Create>
    );
  }

  // A refusal belongs to the attempt that got it: moving between steps or editing clears the banner.
  const goToStep = (next: number) => {
    setFailure(null);
    setStep(next);
  };

  const toOrganisations = async () => {
    const values = await form.validateFields();
    setCheckingName(true);
    let taken: boolean;
    try {
      taken = await clusterNameTaken(dataProvider, commissioner.organisation_id, values.name);
    } catch {
      taken = false; // could not ask: create_cluster will say so if it is
    } finally {
      setCheckingName(false);
    }
    if (taken) {
      form.setFields([
        { name: 'name', errors: [text('clusters.create.nameTaken', { name: values.name.trim(), commissioner: commissioner.name })] },
      ]);
      form.getFieldInstance('name')?.focus();
      return;
    }
    setDetails(values);
    goToStep(1);
  };

  const save = async () => {
    setFailure(null);
    setSaving({ done: 0, total: chosen.length });
    let cluster: Cluster;
    try {
      cluster = (await callRpc('create_cluster', {
        p_commissioner_id: commissioner.organisation_id,
        ...clusterTextArguments(details),
      })) as Cluster;
    } catch (caught) {
      const problem = errorDetails(caught);
      setSaving(null);
      setFailure(problem);
      // A refused name (duplicate, length) is fixed on the first step.
      if (problem.code === '23505' || problem.code === '22023') {
        setStep(0);
        form.setFields([{ name: 'name', errors: [problem.message] }]);
      }
      return;
    }
    const failures = await addOrganisations(
      cluster.id,
      chosen.map((row) => row.id),
      (done) => setSaving({ done, total: chosen.length }),
    );
    setWarnWhen(false);
    await invalidate({ resource: CLUSTERS, invalidates: ['all'] });
    await invalidate({ resource: CLUSTER_ORGANISATIONS, invalidates: ['all'] });
    await invalidate({ resource: CLUSTER_ASSIGNMENTS, invalidates: ['all'] });
    if (failures.length > 0) {
      const names = new Map(chosen.map((row) => [row.id, `${row.name} (${row.ods_code})`]));
      notify?.({
        type: 'error',
        message: text('clusters.create.partly', { shortName: cluster.short_name, n: failures.length }),
        description: failures.map((f) => `${names.get(f.id) ?? f.id}: ${f.error.message}`).join('\n'),
      });
    } else {
      notify?.({
        type: 'success',
        message:
          chosen.length > 1
            ? text('clusters.create.createdWith', { shortName: cluster.short_name, n: chosen.length })
            : chosen.length === 1
              ? text('clusters.create.createdWithOne', { shortName: cluster.short_name })
              : text('clusters.create.created', { shortName: cluster.short_name }),
      });
    }
    navigate(path(`/clusters/${cluster.id}`));
  };

  const footer = (
    <Space>
      {step > 0 && (
        <Button onClick={() => goToStep(step - 1)} disabled={saving !== null}>
          {text('clusters.steps.back')}
        </Button>
      )}
      {step === 0 && (
        <Button type="primary" onClick={() => void toOrganisations().catch(() => undefined)} loading={checkingName}>
          {text('clusters.steps.next')}
        </Button>
      )}
      {step === 1 && (
        <Button type="primary" onClick={() => goToStep(2)}>
          {text('clusters.steps.next')}
        </Button>
      )}
      {step === 2 && (
        <Button type="primary" onClick={() => void save()} loading={saving !== null}>
          {text('clusters.steps.create')}
        </Button>
      )}
    </Space>
  );

  return (
    <Create goBack={false} title={text('clusters.titles.create')} footerButtons={() => footer}>
      <Steps
        current={step}
        style={{ marginBottom: 24, maxWidth: 720 }}
        items={[
          { title: text('clusters.steps.details') },
          { title: text('clusters.steps.organisations') },
          { title: text('clusters.steps.review') },
        ]}
      />

      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${text('clusters.create.failed')}: ${failure.message}`}
          description={failure.hint}
        />
      )}

      <div hidden={step !== 0}>
        <Form<ClusterDetailsValues>
          form={form}
          name="cluster-details"
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ name: '', description: '' }}
          onValuesChange={() => {
            setWarnWhen(true);
            setFailure(null);
          }}
          onFinish={() => void toOrganisations().catch(() => undefined)}
        >
          <ClusterDetailsFields commissionerOds={commissioner.ods_code} commissionerName={commissioner.name} />
        </Form>
      </div>

      {step === 1 && (
        <>
          <Typography.Paragraph>{text('clusters.create.organisationsIntro', { commissioner: commissioner.name })}</Typography.Paragraph>
          <OrganisationPicker
            autoFocusSearch
            candidates={candidates}
            loading={isLoading}
            error={error}
            selected={selected}
            onChange={(ids) => {
              setSelected(ids);
              setWarnWhen(true);
            }}
          />
        </>
      )}

      {step === 2 && (
        <div ref={review} tabIndex={-1} role="region" aria-label={text('clusters.steps.review')} style={{ maxWidth: 880, outline: 'none' }}>
          <Typography.Paragraph>{text('clusters.create.reviewIntro')}</Typography.Paragraph>
          <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={text('clusters.fields.commissioner')}>{`${commissioner.name} (${commissioner.ods_code})`}</Descriptions.Item>
            <Descriptions.Item label={text('clusters.fields.shortName')}>
              <Typography.Text type="secondary">{text('clusters.shortName.systemMade', { ods: commissioner.ods_code })}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={text('clusters.fields.name')}>{details.name.trim()}</Descriptions.Item>
            <Descriptions.Item label={text('clusters.fields.description')}>
              {(details.description ?? '').trim() || <Typography.Text type="secondary">{text('clusters.show.noDescription')}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={`${text('clusters.fields.organisations')} (${chosen.length})`}>
              {chosen.length === 0 ? (
                <Alert type="warning" showIcon message={text('clusters.create.noOrganisations')} />
              ) : (
                <AntList
                  size="small"
                  dataSource={chosen}
                  style={{ maxHeight: 240, overflowY: 'auto' }}
                  renderItem={(row) => (
                    <AntList.Item>
                      <Typography.Text strong>{row.ods_code}</Typography.Text>&nbsp;{row.name}
                    </AntList.Item>
                  )}
                />
              )}
            </Descriptions.Item>
          </Descriptions>
          {saving && (
            <div role="status" aria-live="polite">
              <Typography.Text>
                {saving.total > 0 && saving.done > 0
                  ? text('clusters.create.adding', { done: saving.done, total: saving.total })
                  : text('clusters.create.creating')}
              </Typography.Text>
              {saving.total > 0 && <Progress percent={Math.round((saving.done / saving.total) * 100)} size="small" />}
            </div>
          )}
        </div>
      )}
    </Create>
  );
}
