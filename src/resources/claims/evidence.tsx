// Files of one claim line: the evidence requirement, the accepted types, Add
// Attachment (checked for size and type before anything is sent, uploaded
// with a progress bar, then recorded with record_claim_evidence), and each
// file with its system-review state, Download and Delete (after a confirmation).
import { DeleteOutlined, DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useNotification } from '@refinedev/core';
import { Alert, Button, List as AntList, Progress, Space, Tag, Typography } from 'antd';
import { useId, useRef, useState } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { downloadEvidence, uploadEvidence } from './api.ts';
import dictionary from './i18n.ts';
import {
  acceptedTypesLabel,
  evidenceFileProblem,
  evidenceObjectPath,
  formatFileSize,
  sanitisedFileName,
  type ClaimEvidence,
  type ClaimLine,
  type EvidenceScanStatus,
} from './model.ts';

const SCAN_COLOURS: Record<EvidenceScanStatus, string> = { pending: 'gold', clean: 'green', quarantined: 'red' };

export function ScanTag({ file }: { file: Pick<ClaimEvidence, 'scan_status' | 'scan_reason'> }) {
  const text = useAreaText(dictionary);
  return (
    <Tag color={SCAN_COLOURS[file.scan_status]} style={{ whiteSpace: 'normal' }}>
      {text(`claims.evidence.scan.${file.scan_status}`, { reason: file.scan_reason ?? '' })}
    </Tag>
  );
}

function uniquePrefix(): string {
  const random = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? Math.random().toString(36).slice(2, 10);
  return `${Date.now().toString(36)}-${random}`;
}

export function EvidenceSection({
  providerId,
  line,
  files,
  editable,
  claimSubmitted,
  onChanged,
}: {
  providerId: string;
  line: ClaimLine;
  files: ClaimEvidence[];
  editable: boolean;
  /** Files of a claim that left the practice: only those that passed the review are downloaded. */
  claimSubmitted: boolean;
  onChanged: () => Promise<unknown>;
}) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const input = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<{ name: string; percent: number } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busyFile, setBusyFile] = useState<string | null>(null);
  const headingId = useId();
  const component = line.component;
  const name = component?.name ?? '';
  const accepted = component?.accepted_file_types ?? [];

  async function attach(file: File) {
    setRefusal(null);
    const problem = evidenceFileProblem(file, accepted);
    if (problem) {
      setRefusal(
        problem.kind === 'tooLarge'
          ? text('claims.evidence.tooLarge', { file: file.name, size: formatFileSize(file.size) })
          : problem.kind === 'empty'
            ? text('claims.evidence.empty', { file: file.name })
            : text('claims.evidence.wrongType', { file: file.name, types: problem.accepted }),
      );
      return;
    }
    const objectPath = evidenceObjectPath(providerId, line.claim_id, line.id, sanitisedFileName(file.name, uniquePrefix()));
    setUpload({ name: file.name, percent: 0 });
    try {
      await uploadEvidence({ objectPath, file, onProgress: (percent) => setUpload({ name: file.name, percent }) });
      await callRpc('record_claim_evidence', { p_line_id: line.id, p_object_path: objectPath, p_original_name: file.name });
      notify?.({ type: 'success', message: text('claims.evidence.uploaded', { file: file.name }) });
      await onChanged();
    } catch (error) {
      const described = describeRpcError(error);
      setRefusal(`${described.message}: ${described.description}`);
    } finally {
      setUpload(null);
    }
  }

  async function download(file: ClaimEvidence) {
    setBusyFile(file.id);
    try {
      await downloadEvidence(file.object_path, file.original_name);
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusyFile(null);
    }
  }

  async function remove(file: ClaimEvidence) {
    const ok = await confirm({
      title: text('claims.evidence.deleteTitle', { file: file.original_name }),
      content: text('claims.evidence.deleteExplain'),
      okText: text('claims.evidence.deleteOk'),
      cancelText: text('claims.buttons.cancel'),
      danger: true,
    });
    if (!ok) return;
    setBusyFile(file.id);
    try {
      await callRpc('delete_claim_evidence', { p_evidence_id: file.id });
      notify?.({ type: 'success', message: text('claims.evidence.deleted', { file: file.original_name }) });
      await onChanged();
    } catch (error) {
      notify?.({ type: 'error', ...describeRpcError(error) });
    } finally {
      setBusyFile(null);
    }
  }

  const canDownload = (file: ClaimEvidence) =>
    file.scan_status !== 'quarantined' && (editable || (claimSubmitted && file.scan_status === 'clean'));

  return (
    <div style={{ marginTop: 8 }}>
      <Typography.Text strong id={headingId}>
        <PaperClipOutlined aria-hidden /> {text('claims.evidence.title')}
      </Typography.Text>
      {component?.evidence_text && <Typography.Paragraph style={{ marginBottom: 4 }}>{component.evidence_text}</Typography.Paragraph>}
      {editable && (
        <>
          {/* What may be attached: guidance for the person attaching, not for readers of a submitted claim. */}
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {text('claims.evidence.accepted', { types: acceptedTypesLabel(accepted) })} {text('claims.evidence.required')}
          </Typography.Paragraph>
          <input
            ref={input}
            type="file"
            hidden
            data-testid="evidence-file-input"
            accept={accepted.map((type) => `.${type}`).join(',')}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void attach(file);
            }}
          />
          <Button icon={<PaperClipOutlined />} onClick={() => input.current?.click()} disabled={upload !== null} aria-label={text('claims.evidence.addLabel', { component: name })}>
            {text('claims.evidence.add')}
          </Button>
        </>
      )}
      {upload && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text id={`${headingId}-progress`}>{text('claims.evidence.uploading', { file: upload.name })}</Typography.Text>
          <Progress percent={upload.percent} size="small" aria-labelledby={`${headingId}-progress`} />
        </div>
      )}
      {refusal && <Alert type="error" showIcon style={{ marginTop: 8 }} message={refusal} />}
      <AntList
        size="small"
        aria-label={text('claims.evidence.files', { component: name })}
        dataSource={files}
        // antd's own empty text is too faint (axe colour contrast).
        locale={{ emptyText: <Typography.Text type="secondary">{text('claims.evidence.noFiles')}</Typography.Text> }}
        renderItem={(file) => (
          <AntList.Item
            actions={[
              canDownload(file) ? (
                <Button
                  key="download"
                  size="small"
                  icon={<DownloadOutlined />}
                  loading={busyFile === file.id}
                  aria-label={text('claims.evidence.downloadLabel', { file: file.original_name })}
                  onClick={() => void download(file)}
                >
                  {text('claims.evidence.download')}
                </Button>
              ) : null,
              editable ? (
                <Button
                  key="delete"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  disabled={busyFile === file.id}
                  aria-label={text('claims.evidence.deleteLabel', { file: file.original_name })}
                  onClick={() => void remove(file)}
                >
                  {text('claims.evidence.delete')}
                </Button>
              ) : null,
            ].filter(Boolean)}
          >
            <Space wrap size={[8, 4]}>
              <Typography.Text>{file.original_name}</Typography.Text>
              <Typography.Text type="secondary">
                {formatFileSize(file.size_bytes)}, {formatUkDateTime(file.uploaded_at)}
              </Typography.Text>
              <ScanTag file={file} />
            </Space>
          </AntList.Item>
        )}
      />
    </div>
  );
}
