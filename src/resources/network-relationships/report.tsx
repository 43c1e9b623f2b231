// Network organisation relationship report: practice ↔ PCN relationships
// overlapping a date range, optionally for one PCN or one practice, with a
// CSV export made in the browser from the rows on screen.
import { List } from '../../components/page.tsx';
import { useNotification } from '@refinedev/core';
import { Alert, Button, Col, DatePicker, Empty, Form, Grid, Row, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { OrganisationSelect } from '../../components/organisation-select.tsx';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { downloadCsv, toCsv, type CsvColumn } from '../../lib/csv.ts';
import { formatDateOnly, fromIsoDate, todayInLondon, toIsoDate, UK_DATE_INPUT_FORMAT } from '../../lib/calendar-dates.ts';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { fetchNetworkRelationships, type NetworkRelationshipRow, type ReportQuery } from './report-api.ts';

interface ReportValues {
  from: Dayjs;
  to: Dayjs;
  pcn_id?: string;
  practice_id?: string;
}

type Text = ReturnType<typeof useAreaText<typeof dictionary>>;

/** The financial year (1 April to 31 March) that contains `isoDate`. */
export function financialYearOf(isoDate: string): { from: string; to: string } {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const start = month >= 4 ? year : year - 1;
  return { from: `${start}-04-01`, to: `${start + 1}-03-31` };
}

/**
 * The export's columns. Dates are ISO 8601 (YYYY-MM-DD): unambiguous, sorted
 * correctly as text, and read as dates by Excel in any locale, where
 * DD/MM/YYYY would be swapped to MM/DD by a US-configured spreadsheet.
 * "To" is empty for a current relationship, and "Current" says so.
 */
export function reportCsvColumns(text: Text): CsvColumn<NetworkRelationshipRow>[] {
  return [
    { header: text('network-relationships.csv.pcnOds'), value: (row) => row.pcn_ods_code },
    { header: text('network-relationships.csv.pcnName'), value: (row) => row.pcn_name },
    { header: text('network-relationships.csv.practiceOds'), value: (row) => row.practice_ods_code },
    { header: text('network-relationships.csv.practiceName'), value: (row) => row.practice_name },
    { header: text('network-relationships.csv.from'), value: (row) => row.valid_from },
    { header: text('network-relationships.csv.to'), value: (row) => row.valid_to ?? '' },
    {
      header: text('network-relationships.csv.current'),
      value: (row) => (row.valid_to === null ? text('network-relationships.csv.yes') : text('network-relationships.csv.no')),
    },
  ];
}

export function reportFileName(query: Pick<ReportQuery, 'from' | 'to'>): string {
  return `network-relationships-${query.from}-${query.to}.csv`;
}

export function NetworkRelationshipReport() {
  const text = useAreaText(dictionary);
  // The fields share one row from xl up; below that the button has a row of its own.
  const oneRow = Grid.useBreakpoint().xl === true;
  const { open: notify } = useNotification();
  const [form] = Form.useForm<ReportValues>();
  const [ran, setRan] = useState<ReportQuery | null>(null);
  const [rows, setRows] = useState<NetworkRelationshipRow[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<ErrorDetails | null>(null);
  const [initialValues] = useState(() => {
    const year = financialYearOf(todayInLondon());
    return { from: fromIsoDate(year.from), to: fromIsoDate(year.to) };
  });

  const run = async (values: ReportValues) => {
    const query: ReportQuery = {
      from: toIsoDate(values.from),
      to: toIsoDate(values.to),
      pcnId: values.pcn_id || undefined,
      practiceId: values.practice_id || undefined,
    };
    setLoading(true);
    setFailure(null);
    try {
      const result = await fetchNetworkRelationships(query);
      setRows(result);
      setRan(query);
    } catch (error) {
      setFailure(errorDetails(error));
      setRows(null);
      setRan(null);
    } finally {
      setLoading(false);
    }
  };

  /** Nothing on screen may belong to a range other than the one in the fields. */
  const clearResults = () => {
    setRows(null);
    setRan(null);
    setFailure(null);
  };

  /**
   * Run the report from what the fields hold once the date pickers have
   * committed what was typed (Enter in a date field submits first and commits
   * after, so antd's own verdict on the submit may be about the old value).
   * Invalid input clears the previous results: they belong to another range.
   */
  const submit = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    let values: ReportValues;
    try {
      values = await form.validateFields();
    } catch {
      clearResults();
      return;
    }
    await run(values);
  };

  const exportCsv = () => {
    if (!ran || !rows) return;
    const file = reportFileName(ran);
    downloadCsv(file, toCsv(rows, reportCsvColumns(text)));
    notify?.({ type: 'success', message: text('network-relationships.exported', { file }) });
  };

  const summary =
    ran && rows
      ? text(rows.length === 1 ? 'network-relationships.summaryOne' : 'network-relationships.summary', {
          n: rows.length,
          from: formatDateOnly(ran.from),
          to: formatDateOnly(ran.to),
        })
      : null;

  return (
    <List title={text('network-relationships.titles.list')}>
      <Typography.Paragraph type="secondary">{text('network-relationships.intro')}</Typography.Paragraph>

      <Form<ReportValues>
        form={form}
        name="network-report"
        layout="vertical"
        initialValues={initialValues}
        onFinish={() => void submit()}
        onFinishFailed={() => void submit()}
        requiredMark="optional"
      >
        <Row gutter={16} align="top">
          <Col xs={24} sm={12} xl={4}>
            <Form.Item
              name="from"
              label={text('network-relationships.fields.from')}
              rules={[{ required: true, message: text('network-relationships.fromRequired') }]}
            >
              <DatePicker format={UK_DATE_INPUT_FORMAT} placeholder={UK_DATE_INPUT_FORMAT} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} xl={4}>
            <Form.Item
              name="to"
              label={text('network-relationships.fields.to')}
              dependencies={['from']}
              rules={[
                { required: true, message: text('network-relationships.toRequired') },
                ({ getFieldValue }) => ({
                  validator: async (_, value: Dayjs | null | undefined) => {
                    const from = getFieldValue('from') as Dayjs | null | undefined;
                    if (value && from && value.isBefore(from, 'day')) throw new Error(text('network-relationships.toBeforeFrom'));
                  },
                }),
              ]}
            >
              <DatePicker format={UK_DATE_INPUT_FORMAT} placeholder={UK_DATE_INPUT_FORMAT} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Form.Item name="pcn_id" label={text('network-relationships.fields.pcn')}>
              <OrganisationSelect scope="reachable" types={['pcn']} placeholder={text('network-relationships.pcnPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Form.Item name="practice_id" label={text('network-relationships.fields.practice')}>
              <OrganisationSelect scope="reachable" types={['practice']} placeholder={text('network-relationships.practicePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} xl={4}>
            {/* Level with the fields, below their labels (when beside them). */}
            <Form.Item style={{ paddingTop: oneRow ? 30 : 0 }}>
              <Button type="primary" htmlType="submit" loading={loading} block>
                {text('network-relationships.run')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>

      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${text('network-relationships.error')}: ${failure.message}`}
          description={failure.hint}
        />
      )}

      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Text role="status" aria-live="polite">
          {summary ?? text('network-relationships.notRun')}
        </Typography.Text>
        <Button onClick={exportCsv} disabled={!rows || rows.length === 0}>
          {text('network-relationships.export')}
        </Button>
      </Space>

      <Table<NetworkRelationshipRow>
        dataSource={rows ?? []}
        rowKey="pcn_membership_id"
        size="middle"
        loading={loading}
        scroll={TABLE_SCROLL}
        pagination={{
          defaultPageSize: 20,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total, [from, to]) => text('network-relationships.total', { from, to, total }),
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={rows ? text('network-relationships.empty') : text('network-relationships.notRun')}
            />
          ),
        }}
      >
        <Table.Column<NetworkRelationshipRow>
          title={text('network-relationships.fields.pcn')}
          {...KEY_COLUMN}
          render={(_, row) => (
            <Space size={6}>
              <Typography.Text strong>{row.pcn_ods_code}</Typography.Text>
              <span>{row.pcn_name}</span>
            </Space>
          )}
        />
        <Table.Column<NetworkRelationshipRow>
          title={text('network-relationships.fields.practice')}
          render={(_, row) => (
            <Space size={6}>
              <Typography.Text strong>{row.practice_ods_code}</Typography.Text>
              <span>{row.practice_name}</span>
            </Space>
          )}
        />
        <Table.Column<NetworkRelationshipRow>
          title={text('network-relationships.fields.relationshipFrom')}
          dataIndex="valid_from"
          width={140}
          render={(value: string) => formatDateOnly(value)}
        />
        <Table.Column<NetworkRelationshipRow>
          title={text('network-relationships.fields.relationshipTo')}
          dataIndex="valid_to"
          width={140}
          render={(value: string | null) => (value ? formatDateOnly(value) : <Tag color="green">{text('network-relationships.current')}</Tag>)}
        />
      </Table>
    </List>
  );
}
