// Bulk Claims (/:org/claims-review/bulk), for Approver Tier 1: choose a
// period, Download Template (XLSX pre-filled with the providers and components
// claimable in it), enter units, upload it (xlsx only, 5 MB, with progress)
// and read the answer row by row — each row's problems, or the claims made
// with their Claim IDs. Every rule is the database's (public.import_bulk_claims
// through the import-bulk-claims function); the page only checks the file's
// name and size before sending it.
import { CloudUploadOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, List as AntList, Button, Card, Empty, Grid, Progress, Select, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { canAccess } from '../../providers/access.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { downloadTemplate, fileProblem, uploadBulkClaims, type BulkCreatedClaim, type BulkReport, type BulkReportRow } from './bulk-api.ts';
import dictionary from './i18n.ts';
import { RiskTag } from './risk.tsx';

interface Period {
  period_label: string;
  opens_on: string;
  closes_on: string;
}

const OUTCOME_COLOURS: Record<BulkReportRow['outcome'], string> = { claimed: 'green', not_claimed: 'default', invalid: 'red' };

export function BulkClaims() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const commissionerId = context?.membership?.organisation_id ?? null;
  const allowed = canAccess(context, 'claims-review', 'bulk').can && commissionerId !== null;

  const [periods, setPeriods] = useState<Period[] | null>(null);
  const [period, setPeriod] = useState<string | undefined>();
  const [loadError, setLoadError] = useState<{ message: string; description: string } | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [upload, setUpload] = useState<{ name: string; percent: number } | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string } | null>(null);
  const [report, setReport] = useState<{ file: string; answer: BulkReport } | null>(null);

  useEffect(() => {
    if (!allowed || !commissionerId) return;
    let current = true;
    callRpc<Period[]>('bulk_claim_periods', { p_commissioner_id: commissionerId })
      .then((rows) => {
        if (!current) return;
        setPeriods(rows ?? []);
        setPeriod((previous) => previous ?? rows?.[0]?.period_label);
      })
      .catch((error: unknown) => current && setLoadError(describeRpcError(error)));
    return () => {
      current = false;
    };
  }, [allowed, commissionerId]);

  if (!allowed) {
    return (
      <List title={text('claimsReview.bulkClaims.title')}>
        <Alert type="info" showIcon message={text('claimsReview.bulkClaims.notAllowed')} />
      </List>
    );
  }

  async function download() {
    if (!commissionerId || !period) return;
    setDownloading(true);
    setFailure(null);
    try {
      await downloadTemplate(commissionerId, period);
    } catch (error) {
      setFailure(describeRpcError(error));
    } finally {
      setDownloading(false);
    }
  }

  async function send(file: File) {
    if (!commissionerId) return;
    setFailure(null);
    setReport(null);
    const problem = fileProblem(file);
    if (problem) {
      setFailure({ message: text('claimsReview.bulkClaims.fileRefused'), description: text(`claimsReview.bulkClaims.file.${problem}`, { file: file.name }) });
      return;
    }
    setUpload({ name: file.name, percent: 0 });
    try {
      const answer = await uploadBulkClaims(commissionerId, file, (percent) => setUpload({ name: file.name, percent }));
      setReport({ file: file.name, answer });
    } catch (error) {
      setFailure(describeRpcError(error));
    } finally {
      setUpload(null);
    }
  }

  const chosen = periods?.find((p) => p.period_label === period);

  return (
    <List
      title={text('claimsReview.bulkClaims.title')}
      headerButtons={() => (
        <Link to={path('/claims-review')}>
          <Button>{text('claimsReview.bulkClaims.back')}</Button>
        </Link>
      )}
    >
      <Typography.Paragraph>{text('claimsReview.bulkClaims.intro')}</Typography.Paragraph>
      {loadError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={loadError.message} description={loadError.description} />}
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text('claimsReview.bulkClaims.step1')}</Typography.Title>}>
          {periods !== null && periods.length === 0 ? (
            <Alert type="info" showIcon message={text('claimsReview.bulkClaims.noPeriods')} />
          ) : (
            <Space wrap align="center">
              <Typography.Text id="bulk-period-label">{text('claimsReview.bulkClaims.period')}</Typography.Text>
              <Select
                aria-labelledby="bulk-period-label"
                loading={periods === null}
                value={period}
                onChange={(value: string) => setPeriod(value)}
                style={{ width: 200 }}
                options={(periods ?? []).map((p) => ({ value: p.period_label, label: p.period_label }))}
              />
              <Button type="primary" icon={<DownloadOutlined />} loading={downloading} disabled={!period} onClick={() => void download()}>
                {text('claimsReview.bulkClaims.download')}
              </Button>
              {chosen && (
                <Typography.Text type="secondary">{text('claimsReview.bulkClaims.closes', { date: formatUkDate(chosen.closes_on) })}</Typography.Text>
              )}
            </Space>
          )}
        </Card>
        <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text('claimsReview.bulkClaims.step2')}</Typography.Title>}>
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            disabled={upload !== null}
            beforeUpload={(file) => {
              void send(file);
              // The page sends the file itself (with its own progress), not antd's request.
              return Upload.LIST_IGNORE;
            }}
          >
            <p className="ant-upload-drag-icon">
              <CloudUploadOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">{text('claimsReview.bulkClaims.dropHere')}</p>
            <p className="ant-upload-hint">{text('claimsReview.bulkClaims.dropHint')}</p>
          </Upload.Dragger>
          {upload && (
            <div style={{ marginTop: 12 }}>
              <Typography.Text id="bulk-upload-progress">{text('claimsReview.bulkClaims.uploading', { file: upload.name })}</Typography.Text>
              <Progress percent={upload.percent} size="small" aria-labelledby="bulk-upload-progress" />
            </div>
          )}
        </Card>
        {failure && <Alert type="error" showIcon role="alert" message={failure.message} description={failure.description} />}
        {report && <BulkReportView file={report.file} report={report.answer} />}
      </Space>
    </List>
  );
}

function BulkReportView({ file, report }: { file: string; report: BulkReport }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const [onlyProblems, setOnlyProblems] = useState(!report.ok);
  const invalid = report.rows.filter((row) => row.outcome === 'invalid').length;
  const rows = useMemo(() => (onlyProblems ? report.rows.filter((row) => row.outcome === 'invalid') : report.rows), [onlyProblems, report.rows]);
  const type = report.ok ? (report.duplicate ? 'info' : 'success') : 'error';
  // On a phone the tables would hide the problems off to the right: lists instead.
  const narrow = !Grid.useBreakpoint().md;
  const outcome = (row: BulkReportRow) => (
    <Space direction="vertical" size={2}>
      <Tag color={OUTCOME_COLOURS[row.outcome]}>
        {row.claim_number ? text('claimsReview.bulkClaims.outcomeClaimed', { number: row.claim_number }) : text(`claimsReview.bulkClaims.outcome.${row.outcome}`)}
      </Tag>
      {row.problems.map((problem) => (
        <Typography.Text key={problem.rule + problem.message} type="danger" data-rule={problem.rule}>
          {problem.message}
        </Typography.Text>
      ))}
    </Space>
  );
  const claimLink = (claim: BulkCreatedClaim) => (
    <Link to={path(`/claims-review/${claim.claim_id}`)}>
      <Typography.Text strong style={{ color: 'inherit' }}>
        {claim.claim_number}
      </Typography.Text>
    </Link>
  );

  return (
    <section aria-labelledby="bulk-report-title">
      <Typography.Title level={2} id="bulk-report-title" style={{ fontSize: 18 }}>
        {text('claimsReview.bulkClaims.reportTitle', { file })}
      </Typography.Title>
      <Alert
        type={type}
        showIcon
        role="status"
        style={{ marginBottom: 16 }}
        message={
          report.ok
            ? report.duplicate
              ? text('claimsReview.bulkClaims.duplicate')
              : text('claimsReview.bulkClaims.created', { n: report.created })
            : text('claimsReview.bulkClaims.rejected', { n: invalid })
        }
        description={report.message}
      />
      {report.claims.length > 0 && narrow && (
        <AntList
          size="small"
          bordered
          aria-label={text('claimsReview.bulkClaims.claimsLabel')}
          dataSource={report.claims}
          pagination={report.claims.length > 20 ? { pageSize: 20, size: 'small' } : false}
          style={{ marginBottom: 16 }}
          renderItem={(claim) => (
            <AntList.Item key={claim.claim_id}>
              <Space direction="vertical" size={2}>
                <Space wrap>
                  {claimLink(claim)}
                  <span>{formatMoney(claim.total)}</span>
                  <RiskTag band={claim.risk_band} />
                </Space>
                <Typography.Text>{claim.provider_name}</Typography.Text>
                <Typography.Text type="secondary">{[claim.services, claim.period].join(', ')}</Typography.Text>
              </Space>
            </AntList.Item>
          )}
        />
      )}
      {report.claims.length > 0 && !narrow && (
        <Table<BulkCreatedClaim>
          dataSource={report.claims}
          rowKey="claim_id"
          size="small"
          aria-label={text('claimsReview.bulkClaims.claimsLabel')}
          pagination={report.claims.length > 50 ? { pageSize: 50 } : false}
          style={{ marginBottom: 16 }}
        >
          <Table.Column<BulkCreatedClaim>
            title={text('claimsReview.fields.claimId')}
            key="claim"
            width={100}
            render={(_, claim) => claimLink(claim)}
          />
          <Table.Column<BulkCreatedClaim> title={text('claimsReview.fields.provider')} key="provider" render={(_, claim) => claim.provider_name} />
          <Table.Column<BulkCreatedClaim> title={text('claimsReview.fields.services')} key="services" render={(_, claim) => claim.services} />
          <Table.Column<BulkCreatedClaim> title={text('claimsReview.fields.period')} key="period" width={120} render={(_, claim) => claim.period} />
          <Table.Column<BulkCreatedClaim>
            title={text('claimsReview.fields.total')}
            key="total"
            align="right"
            width={120}
            render={(_, claim) => formatMoney(claim.total)}
          />
          <Table.Column<BulkCreatedClaim> title={text('claimsReview.fields.band')} key="band" width={110} render={(_, claim) => <RiskTag band={claim.risk_band} />} />
          <Table.Column<BulkCreatedClaim>
            title={text('claimsReview.bulkClaims.status')}
            key="status"
            width={170}
            render={(_, claim) => text(claim.status === 'pending_tier2_review' ? 'claimsReview.bulkClaims.waitsTier2' : 'claimsReview.bulkClaims.otherStatus', { status: claim.status.replace(/_/g, ' ') })}
          />
        </Table>
      )}
      {report.rows.length > 0 && (
        <>
          {!report.ok && (
            <Space style={{ marginBottom: 12 }}>
              <Switch id="bulk-only-problems" checked={onlyProblems} onChange={setOnlyProblems} />
              <label htmlFor="bulk-only-problems">{text('claimsReview.bulkClaims.onlyProblems')}</label>
            </Space>
          )}
          {narrow ? (
            <AntList
              size="small"
              bordered
              aria-label={text('claimsReview.bulkClaims.rowsLabel')}
              dataSource={rows}
              pagination={rows.length > 20 ? { pageSize: 20, size: 'small' } : false}
              locale={{ emptyText: text('claimsReview.bulkClaims.noRows') }}
              renderItem={(row) => (
                <AntList.Item key={row.row}>
                  <Space direction="vertical" size={2}>
                    <Typography.Text strong>
                      {text('claimsReview.bulkClaims.rowHeading', { row: row.row, ods: row.ods_code ?? '–', units: row.units ?? '–' })}
                    </Typography.Text>
                    <Typography.Text>{row.component ?? '–'}</Typography.Text>
                    <Typography.Text type="secondary">{[row.service, row.period].filter(Boolean).join(', ')}</Typography.Text>
                    {outcome(row)}
                  </Space>
                </AntList.Item>
              )}
            />
          ) : (
            <Table<BulkReportRow>
              dataSource={rows}
              rowKey="row"
              size="small"
              aria-label={text('claimsReview.bulkClaims.rowsLabel')}
              pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('claimsReview.bulkClaims.noRows')} /> }}
            >
              <Table.Column<BulkReportRow> title={text('claimsReview.bulkClaims.row')} key="row" width={64} render={(_, row) => row.row} />
              <Table.Column<BulkReportRow> title={text('claimsReview.fields.provider')} key="ods" width={110} render={(_, row) => row.ods_code ?? '–'} />
              <Table.Column<BulkReportRow>
                title={text('claimsReview.bulkClaims.component')}
                key="component"
                render={(_, row) => (
                  <>
                    <div>{row.component ?? '–'}</div>
                    <Typography.Text type="secondary">{[row.service, row.period].filter(Boolean).join(', ')}</Typography.Text>
                  </>
                )}
              />
              <Table.Column<BulkReportRow> title={text('claimsReview.bulkClaims.units')} key="units" width={90} render={(_, row) => <span style={{ wordBreak: 'break-all' }}>{row.units ?? '–'}</span>} />
              <Table.Column<BulkReportRow>
                title={text('claimsReview.bulkClaims.outcome')}
                key="outcome"
                width="40%"
                render={(_, row) => outcome(row)}
              />
            </Table>
          )}
        </>
      )}
    </section>
  );
}
