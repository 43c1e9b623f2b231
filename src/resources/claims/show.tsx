// One claim (/:org/claims/:id). A Claim Submitter on a draft or declined
// claim gets the job aid's three panes (Services, Components, Claim) with
// Remove All, Delete and Submit; Submit first asks validate-claim for every
// problem (listed at the top and beside what each concerns) and only when
// there is none confirms, submits and shows the summary. Everyone else, and
// every submitted claim, gets the read-only claim with its status timeline;
// a Provider Approver gets Approve and Return on a claim waiting for them.
import { CanAccess, useNotification } from '@refinedev/core';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Skeleton, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { ResultTitle, Show } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useAccess, useCurrentContext } from '../../providers/access-context.tsx';
import { canAccess, findContext } from '../../providers/access.ts';
import { validateClaim } from './api.ts';
import { ProviderApproval } from './approval.tsx';
import { ClaimPane } from './claim-pane.tsx';
import { useAvailableServices, useClaim, useClaimContents, useRowsOf } from './data.ts';
import dictionary from './i18n.ts';
import { COMPONENT_SELECT, isEditableStatus, problemAnchor, type ClaimOverview, type ClaimProblem, type ComponentRow, type SubmitResult } from './model.ts';
import { ComponentsPane, ServicesPane } from './panes.tsx';
import { ClaimStatusTag } from './status.tsx';
import { ClaimTimeline } from './timeline.tsx';

export function ClaimShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id = '' } = useParams<{ id: string }>();
  const context = useCurrentContext();
  const { access } = useAccess();
  const { claim, isLoading, error, refetch } = useClaim(id);

  if (isLoading) return <Skeleton active aria-busy="true" />;
  if (error || !claim) {
    return (
      <Result
        status={error ? 'error' : '404'}
        title={<ResultTitle>{text('claims.show.notFound')}</ResultTitle>}
        subTitle={error?.message}
        extra={<Link to={path('/claims')}>{text('claims.show.backToList')}</Link>}
      />
    );
  }
  // A notification opened in another practice's context: show the claim in its own practice's context.
  const providerOds = claim.provider_ods_code ?? '';
  if (context?.membership?.side === 'provider' && providerOds && context.key.toLowerCase() !== providerOds.toLowerCase()) {
    const own = findContext(access, providerOds);
    if (own) return <Navigate to={`/${encodeURIComponent(own.key)}/claims/${claim.id}`} replace />;
  }
  // A reviewer (commissioner context) reads and decides the claim on its review page.
  if (context?.membership?.side === 'commissioner' && canAccess(context, 'claims-review', 'show').can) {
    return <Navigate to={path(`/claims-review/${claim.id}`)} replace />;
  }
  const editable =
    isEditableStatus(claim.status) && (context?.roles ?? []).includes('claim_submitter') && context?.membership?.organisation_id === claim.provider_id;

  return (
    <Show
      title={text('claims.titles.show', { number: claim.claim_number })}
      goBack={false}
      headerButtons={() => (
        <CanAccess resource="claims" action="list">
          <Link to={path('/claims')}>{text('claims.show.backToList')}</Link>
        </CanAccess>
      )}
    >
      <ClaimHeader claim={claim} />
      {claim.status === 'draft' && claim.returned_reason && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={text('claims.show.returned')} description={claim.returned_reason} />
      )}
      {claim.status === 'declined' && claim.decline_reason && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('claims.show.declined')} description={claim.decline_reason} />
      )}
      {claim.status === 'pending_provider_approval' && (
        <CanAccess resource="claims" action="approve">
          <ProviderApproval claim={claim} onDecided={refetch} />
        </CanAccess>
      )}
      {editable ? <ClaimEditor claim={claim} refetchClaim={refetch} /> : <ClaimReadOnly claim={claim} />}
      <ClaimTimeline key={`${claim.status}-${claim.updated_at}`} claimId={claim.id} />
    </Show>
  );
}

export function ClaimHeader({ claim }: { claim: ClaimOverview }) {
  const text = useAreaText(dictionary);
  return (
    <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={text('claims.fields.claimId')}>
        <Typography.Text strong>{claim.claim_number}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.status')}>
        <ClaimStatusTag status={claim.status} />
      </Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.provider')}>{`${claim.provider_name} (${claim.provider_ods_code})`}</Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.total')}>
        <Typography.Text strong data-testid="header-total">
          {formatMoney(claim.total)}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.services')}>{claim.services || '–'}</Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.mode')}>{text(`claims.mode.${claim.submission_mode}`)}</Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.created')}>{formatUkDateTime(claim.created_at)}</Descriptions.Item>
      <Descriptions.Item label={text('claims.fields.submitted')}>{formatUkDateTime(claim.submitted_at)}</Descriptions.Item>
      {claim.payment_date && (
        <Descriptions.Item label={text('claims.fields.paymentDate')}>
          <span data-testid="header-payment-date">{formatDateOnly(claim.payment_date)}</span>
        </Descriptions.Item>
      )}
      {claim.paid_at && (
        <Descriptions.Item label={text('claims.fields.paidAt')}>
          <span data-testid="header-paid-at">{formatUkDateTime(claim.paid_at)}</span>
        </Descriptions.Item>
      )}
      {claim.payment_reference && (
        <Descriptions.Item label={text('claims.fields.paymentReference')}>{claim.payment_reference}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

function PaneTitle({ children, id }: { children: string; id: string }) {
  return (
    <Typography.Title level={2} id={id} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

export function ClaimReadOnly({ claim }: { claim: ClaimOverview }) {
  const text = useAreaText(dictionary);
  const contents = useClaimContents(claim.id);
  return (
    <Card title={<PaneTitle id="claim-pane-title">{text('claims.panes.claim')}</PaneTitle>} size="small">
      {contents.error && <Alert type="error" showIcon message={text('claims.show.loadError')} description={contents.error.message} />}
      {contents.isLoading ? (
        <Skeleton active aria-busy="true" />
      ) : (
        <ClaimPane claim={claim} contents={contents} editable={false} problems={[]} onChanged={contents.refetch} />
      )}
    </Card>
  );
}

function ClaimEditor({ claim, refetchClaim }: { claim: ClaimOverview; refetchClaim: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const contents = useClaimContents(claim.id);
  const available = useAvailableServices(claim.id, true);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<'add' | 'remove' | 'delete' | 'submit' | null>(null);
  const [problems, setProblems] = useState<ClaimProblem[] | null>(null);
  const problemList = useRef<HTMLDivElement>(null);
  const number = claim.claim_number;

  const services = useMemo(() => available.data ?? [], [available.data]);
  // Services on the claim are always shown in the Components pane.
  const shown = useMemo(() => services.filter((service) => service.on_claim || chosen.has(service.service_id)), [services, chosen]);
  const singleService = claim.submission_mode === 'single_service' || services.some((service) => service.on_claim && service.single_service);
  const components = useRowsOf<ComponentRow>(
    'service_components',
    'service_id',
    shown.map((service) => service.service_id),
    COMPONENT_SELECT,
    'position',
  );
  const onClaim = useMemo(() => new Set((contents.lines ?? []).map((line) => line.component_id)), [contents.lines]);

  useEffect(() => {
    if (problems && problems.length > 0) problemList.current?.focus();
  }, [problems]);

  const reload = () => Promise.all([contents.refetch(), refetchClaim(), available.refetch()]);

  function choose(serviceId: string, yes: boolean) {
    setChosen((previous) => {
      // A single-service claim shows one service at a time.
      const next = new Set(singleService ? [] : previous);
      if (yes) next.add(serviceId);
      else next.delete(serviceId);
      return next;
    });
  }

  async function add(componentIds: string[]) {
    if (componentIds.length === 0) return;
    setBusy('add');
    try {
      await callRpc('add_claim_lines', { p_claim_id: claim.id, p_component_ids: componentIds });
      await reload();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusy(null);
    }
  }

  async function removeAll() {
    const ok = await confirm({
      title: text('claims.removeAll.title', { number }),
      content: text('claims.removeAll.explain'),
      okText: text('claims.removeAll.ok'),
      cancelText: text('claims.buttons.cancel'),
      danger: true,
    });
    if (!ok) return;
    setBusy('remove');
    try {
      await callRpc('remove_claim_lines', { p_claim_id: claim.id });
      setProblems(null);
      setChosen(new Set());
      notify?.({ type: 'success', message: text('claims.removeAll.done', { number }) });
      await reload();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusy(null);
    }
  }

  async function deleteClaim() {
    const ok = await confirm({
      title: text('claims.delete.title', { number }),
      content: text('claims.delete.explain'),
      okText: text('claims.delete.ok'),
      cancelText: text('claims.buttons.cancel'),
      danger: true,
    });
    if (!ok) return;
    setBusy('delete');
    try {
      await callRpc('delete_claim', { p_claim_id: claim.id });
      notify?.({ type: 'success', message: text('claims.delete.done', { number }) });
      navigate(path('/claims'));
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
      setBusy(null);
    }
  }

  async function submit() {
    setBusy('submit');
    try {
      const check = await validateClaim(claim.id);
      if (!check.ok || check.problems.length > 0) {
        setProblems(check.problems);
        return;
      }
      setProblems(null);
      // Not "loading" while the person reads the confirmation: the check is done, nothing is being sent.
      setBusy(null);
      const ok = await confirm({
        title: text('claims.submit.confirmTitle', { number }),
        content: text('claims.submit.confirmBody', { total: formatMoney(check.total ?? claim.total) }),
        okText: text('claims.submit.ok'),
        cancelText: text('claims.buttons.cancel'),
      });
      if (!ok) return;
      setBusy('submit');
      const result = await callRpc<SubmitResult>('submit_claim', { p_claim_id: claim.id, p_dry_run: false });
      if (!result.ok) {
        // Something changed between the check and the submit: the database's list wins.
        setProblems(result.problems);
        return;
      }
      navigate(path(`/claims/${claim.id}/summary`));
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusy(null);
    }
  }

  const hasLines = (contents.lines ?? []).length > 0;
  return (
    <>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={text('claims.show.pid')} />
      {problems && problems.length > 0 && (
        <div ref={problemList} tabIndex={-1} style={{ marginBottom: 16, outline: 'none' }}>
          <Alert
            type="error"
            showIcon
            message={text('claims.submit.problemsTitle', { number })}
            description={
              <>
                <Typography.Paragraph style={{ marginBottom: 4 }}>{text('claims.submit.problemsIntro')}</Typography.Paragraph>
                <ul data-testid="problem-list" style={{ marginBottom: 0 }}>
                  {problems.map((problem, index) => {
                    const anchor = problemAnchor(problem);
                    return (
                      <li key={`${problem.rule}-${index}`}>
                        {anchor ? (
                          // Takes the person (and the keyboard focus) to the line, question or service concerned.
                          <a
                            href={`#${anchor}`}
                            onClick={(event) => {
                              event.preventDefault();
                              const place = document.getElementById(anchor);
                              place?.scrollIntoView?.({ block: 'center' }); // (absent in jsdom)
                              place?.focus({ preventScroll: true });
                            }}
                          >
                            {problem.message}
                          </a>
                        ) : (
                          problem.message
                        )}
                      </li>
                    );
                  })}
                </ul>
              </>
            }
          />
        </div>
      )}
      {contents.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('claims.show.loadError')} description={contents.error.message} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={<PaneTitle id="services-pane-title">{text('claims.panes.services')}</PaneTitle>} size="small" style={{ height: '100%' }}>
            <ServicesPane
              services={available.data}
              isLoading={available.isLoading}
              error={available.error}
              selected={new Set(shown.map((service) => service.service_id))}
              singleService={singleService}
              onChoose={choose}
              onAddAll={() => setChosen(new Set(services.map((service) => service.service_id)))}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={<PaneTitle id="components-pane-title">{text('claims.panes.components')}</PaneTitle>} size="small" style={{ height: '100%' }}>
            <ComponentsPane
              services={shown}
              components={components.rows}
              isLoading={components.isLoading}
              error={components.error}
              onClaim={onClaim}
              busy={busy === 'add'}
              onAdd={(ids) => void add(ids)}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<PaneTitle id="claim-pane-title">{text('claims.panes.claim')}</PaneTitle>} size="small">
            {contents.isLoading ? (
              <Skeleton active aria-busy="true" />
            ) : (
              <ClaimPane claim={claim} contents={contents} editable problems={problems ?? []} onChanged={reload} />
            )}
          </Card>
        </Col>
      </Row>
      <Space wrap style={{ marginTop: 16 }}>
        <Button onClick={() => void removeAll()} disabled={!hasLines || busy !== null} loading={busy === 'remove'}>
          {text('claims.buttons.removeAll')}
        </Button>
        {claim.status === 'draft' && (
          <Button danger onClick={() => void deleteClaim()} disabled={busy !== null} loading={busy === 'delete'}>
            {text('claims.buttons.delete')}
          </Button>
        )}
        <Button
          type="primary"
          style={{ background: busy === null ? '#1f7a3a' : undefined }}
          onClick={() => void submit()}
          disabled={busy !== null && busy !== 'submit'}
          loading={busy === 'submit'}
        >
          {text('claims.buttons.submit')}
        </Button>
      </Space>
    </>
  );
}
