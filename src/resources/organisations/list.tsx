// Organisations: a tree of every organisation the signed-in person reaches
// (view `my_organisations`), from the top of their reach down to practices,
// with a search by ODS code or name that shows where each match sits.
import { List } from '../../components/page.tsx';
import { Alert, Button, Empty, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import dictionary from './i18n.ts';
import { useContextPath } from '../../components/context-links.ts';
import {
  ORGANISATION_TYPE_COLOURS,
  organisationTypeDescription,
  useOrganisationTypeLabel,
  type OrganisationType,
} from './organisation-types.ts';
import { useCurrentPcns, useReachableOrganisations } from './reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import {
  allNodeIds,
  buildOrganisationTree,
  normaliseSearch,
  searchOrganisations,
  type OrganisationMatch,
  type OrganisationNode,
} from './tree.ts';

/** A coloured tag with the type's label; the abbreviation spelt out on hover. */
export function OrganisationTypeTag({ type }: { type: OrganisationType }) {
  const typeLabel = useOrganisationTypeLabel();
  const tag = <Tag color={ORGANISATION_TYPE_COLOURS[type] ?? 'default'}>{typeLabel(type)}</Tag>;
  const description = organisationTypeDescription(type);
  return description && description !== typeLabel(type) ? <Tooltip title={description}>{tag}</Tooltip> : tag;
}

/** The roots open, and below them every only child, so a single ICB opens onto its sub-ICB locations. */
function defaultExpandedIds(roots: readonly OrganisationNode[]): string[] {
  const ids: string[] = [];
  for (const root of roots) {
    let node: OrganisationNode | undefined = root;
    while (node?.children) {
      ids.push(node.id);
      node = node.children.length === 1 ? node.children[0] : undefined;
    }
  }
  return ids;
}

export function OrganisationList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { organisations, isLoading, error, refetch } = useReachableOrganisations();
  const currentPcns = useCurrentPcns();
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<readonly string[] | null>(null);

  const tree = useMemo(() => (organisations ? buildOrganisationTree(organisations) : []), [organisations]);
  const query = normaliseSearch(search);
  const matches = useMemo(
    () => (organisations && query ? searchOrganisations(organisations, query) : []),
    [organisations, query],
  );
  const expandedKeys = expanded ?? defaultExpandedIds(tree);

  const nameLink = (row: { id: string; name: string }): ReactNode => (
    <Link to={path(`/organisations/${row.id}`)}>{row.name}</Link>
  );
  /** A practice's PCN today; nothing for other types. */
  const currentPcnCell = (row: { id: string; type: OrganisationType }): ReactNode => {
    if (row.type !== 'practice') return null;
    const pcn = currentPcns.byPractice.get(row.id);
    if (!pcn) return <Typography.Text type="secondary">{text('organisations.tree.currentPcnNone')}</Typography.Text>;
    return `${pcn.pcn_name} (${pcn.pcn_ods_code})`;
  };

  let content: ReactNode;
  if (error) {
    content = (
      <Alert
        type="error"
        showIcon
        message={text('organisations.tree.loadError')}
        description={error.message}
        action={<Button onClick={refetch}>{text('organisations.actions.retry')}</Button>}
      />
    );
  } else if (query) {
    content = (
      <>
      {!isLoading && (
        <Typography.Paragraph type="secondary" role="status">
          {text(matches.length === 1 ? 'organisations.search.countOne' : 'organisations.search.count', { n: matches.length, q: query })}
        </Typography.Paragraph>
      )}
      <Table<OrganisationMatch>
        dataSource={matches}
        rowKey={(match) => match.organisation.id}
        size="middle"
        loading={isLoading ? { spinning: true, tip: text('organisations.tree.loading') } : false}
        pagination={matches.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('organisations.search.none', { q: query })} /> }}
      >
        <Table.Column<OrganisationMatch>
          title={text('organisations.fields.odsCode')}
          width={130}
          render={(_, match) => <Typography.Text strong>{match.organisation.ods_code}</Typography.Text>}
        />
        <Table.Column<OrganisationMatch> title={text('organisations.fields.name')} render={(_, match) => nameLink(match.organisation)} />
        <Table.Column<OrganisationMatch>
          title={text('organisations.fields.type')}
          width={170}
          render={(_, match) => <OrganisationTypeTag type={match.organisation.type} />}
        />
        <Table.Column<OrganisationMatch>
          title={text('organisations.fields.currentPcn')}
          render={(_, match) => currentPcnCell(match.organisation)}
        />
        <Table.Column<OrganisationMatch>
          title={text('organisations.fields.path')}
          render={(_, match) =>
            match.path.length === 0 ? (
              <Typography.Text type="secondary">{text('organisations.tree.topOfReach')}</Typography.Text>
            ) : (
              match.path.map((ancestor) => `${ancestor.name} (${ancestor.ods_code})`).join(' › ')
            )
          }
        />
      </Table>
      </>
    );
  } else {
    content = (
      <Table<OrganisationNode>
        dataSource={tree}
        rowKey="id"
        size="middle"
        pagination={false}
        loading={isLoading ? { spinning: true, tip: text('organisations.tree.loading') } : false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('organisations.tree.empty')} /> }}
        expandable={{
          expandedRowKeys: [...expandedKeys],
          onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
          indentSize: 24,
          // antd's own expand button has no accessible name: say which row it opens.
          expandIcon: ({ expanded, expandable, record, onExpand }) =>
            expandable ? (
              <button
                type="button"
                className={`ant-table-row-expand-icon ant-table-row-expand-icon-${expanded ? 'expanded' : 'collapsed'}`}
                aria-expanded={expanded}
                aria-label={text(expanded ? 'organisations.tree.collapse' : 'organisations.tree.expand', { name: record.name })}
                onClick={(event) => onExpand(record, event)}
              />
            ) : (
              <span className="ant-table-row-expand-icon ant-table-row-expand-icon-spaced" aria-hidden />
            ),
        }}
      >
        <Table.Column<OrganisationNode>
          dataIndex="ods_code"
          title={text('organisations.fields.odsCode')}
          width={200}
          render={(value: string) => <Typography.Text strong>{value}</Typography.Text>}
        />
        <Table.Column<OrganisationNode> dataIndex="name" title={text('organisations.fields.name')} render={(_, row) => nameLink(row)} />
        <Table.Column<OrganisationNode>
          dataIndex="type"
          title={text('organisations.fields.type')}
          width={170}
          render={(value: OrganisationType) => <OrganisationTypeTag type={value} />}
        />
        <Table.Column<OrganisationNode> key="current_pcn" title={text('organisations.fields.currentPcn')} render={(_, row) => currentPcnCell(row)} />
      </Table>
    );
  }

  return (
    <List title={text('organisations.titles.list')}>
      <Typography.Paragraph type="secondary">
        {organisations
          ? text(organisations.length === 1 ? 'organisations.tree.summaryOne' : 'organisations.tree.summary', { n: organisations.length })
          : text('organisations.tree.intro')}
      </Typography.Paragraph>

      {/* Flex, not Space: a Space item does not shrink, so the search stuck out of a phone's screen. */}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 16, justifyContent: 'space-between' }}>
        <Input.Search
          aria-label={text('organisations.search.label')}
          placeholder={text('organisations.search.placeholder')}
          allowClear
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={setSearch}
          style={{ flex: '0 1 420px', minWidth: 0 }}
        />
        {!query && allNodeIds(tree).length > 0 && (
          <Space>
            <Button onClick={() => setExpanded(allNodeIds(tree))}>{text('organisations.tree.expandAll')}</Button>
            <Button onClick={() => setExpanded([])}>{text('organisations.tree.collapseAll')}</Button>
          </Space>
        )}
      </div>

      {content}
    </List>
  );
}
