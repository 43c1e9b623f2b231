// The claims summary screen after Submit (job aid step 17): the Claim ID,
// its services, lines and total and where it goes next, all read back from
// the database, with the way back to Claims.
import { Alert, Card, Descriptions, Result, Skeleton, Space, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { ResultTitle } from '../../components/page.tsx';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useClaim, useClaimContents } from './data.ts';
import dictionary from './i18n.ts';
import { isEditableStatus, type ClaimLine } from './model.ts';
import { ClaimStatusTag, useStatusText } from './status.tsx';

export function ClaimSummary() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const status = useStatusText();
  const { id = '' } = useParams<{ id: string }>();
  const { claim, isLoading, error } = useClaim(id);
  const contents = useClaimContents(id);

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
  const links = (
    <Space wrap size="large">
      <Link to={path('/claims')}>{text('claims.summary.backToClaims')}</Link>
      <Link to={path(`/claims/${claim.id}`)}>{text('claims.summary.openClaim', { number: claim.claim_number })}</Link>
    </Space>
  );
  if (isEditableStatus(claim.status)) {
    return (
      <Result
        status="warning"
        title={<ResultTitle>{text('claims.titles.show', { number: claim.claim_number })}</ResultTitle>}
        subTitle={text('claims.summary.notSubmitted', { number: claim.claim_number, status: status(claim.status) })}
        extra={links}
      />
    );
  }
  const next = `claims.summary.next.${claim.status}` as const;
  const nextText = next in dictionary ? text(next as keyof typeof dictionary) : null;
  const serviceName = (serviceId: string) => contents.services?.find((row) => row.service_id === serviceId)?.service?.name ?? '';
  // The details sit below the Result, not inside it: the Result's padded, centred content box left a
  // phone a column too narrow for the details (they ran out of it).
  return (
    <>
      <Result
        status="success"
        title={<ResultTitle>{text('claims.titles.summary', { number: claim.claim_number })}</ResultTitle>}
        subTitle={text('claims.summary.intro')}
        extra={links}
        style={{ paddingBottom: 16 }}
      />
      <Card size="small" style={{ maxWidth: 960, margin: '0 auto' }}>
        {nextText && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={nextText} />}
        <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={text('claims.fields.claimId')}>{claim.claim_number}</Descriptions.Item>
          <Descriptions.Item label={text('claims.fields.status')}>
            <ClaimStatusTag status={claim.status} />
          </Descriptions.Item>
          <Descriptions.Item label={text('claims.fields.services')}>{claim.services || '–'}</Descriptions.Item>
          <Descriptions.Item label={text('claims.fields.period')}>{claim.periods || '–'}</Descriptions.Item>
          <Descriptions.Item label={text('claims.fields.submitted')}>{formatUkDateTime(claim.submitted_at)}</Descriptions.Item>
          <Descriptions.Item label={text('claims.fields.total')}>
            <strong data-testid="summary-total">{formatMoney(claim.total)}</strong>
          </Descriptions.Item>
        </Descriptions>
        {contents.isLoading ? (
          <Skeleton active aria-busy="true" />
        ) : (
          <Table<ClaimLine>
            dataSource={contents.lines ?? []}
            rowKey="id"
            size="small"
            pagination={false}
            aria-label={text('claims.summary.lines')}
            // Fixed layout: long service and component names wrap, so the table fits a phone instead of
            // scrolling inside a region a keyboard cannot reach (it has no links or buttons).
            tableLayout="fixed"
          >
            {/* One column for the component with its service beneath: four columns broke words on a phone. */}
            <Table.Column<ClaimLine>
              title={text('claims.summary.component')}
              key="component"
              render={(_, line) => (
                <>
                  <Typography.Text>{line.component?.name ?? ''}</Typography.Text>
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {serviceName(line.service_id)}
                  </Typography.Text>
                </>
              )}
            />
            <Table.Column<ClaimLine> title={text('claims.lines.units')} key="units" align="right" width={64} render={(_, line) => (line.kind === 'unit' ? (line.units ?? 0) : '–')} />
            <Table.Column<ClaimLine> title={text('claims.lines.amount')} key="amount" align="right" width={104} render={(_, line) => formatMoney(line.amount ?? 0)} />
          </Table>
        )}
      </Card>
    </>
  );
}
