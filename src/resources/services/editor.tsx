// One dialog for adding or editing a row of a service's catalogue tables
// (components, questions, claim windows, indicator groups, indicators,
// achievement dates), written directly through the data provider: RLS lets
// Commissioning Management of the owner write them, and the database's
// triggers and checks refuse what breaks a rule — shown here as it says it.
import { useCreate, useDelete, useNotification, useUpdate, type BaseRecord, type HttpError } from '@refinedev/core';
import { Alert, Form, Modal } from 'antd';
import { useState, type ReactNode } from 'react';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { errorDetails, type ErrorDetails } from '../../components/error-details.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';

export interface EditorProps<V> {
  title: string;
  resource: string;
  /** The row being edited; absent when adding. */
  id?: string;
  serviceId: string;
  initialValues: Partial<V>;
  /** Form values → the row's columns (without service_id). */
  toRow: (values: V) => Record<string, unknown>;
  onClose: () => void;
  children: ReactNode;
  width?: number;
}

export function RowEditor<V extends object>({ title, resource, id, serviceId, initialValues, toRow, onClose, children, width = 640 }: EditorProps<V>) {
  const text = useAreaText(dictionary);
  const [form] = Form.useForm<V>();
  const [failure, setFailure] = useState<ErrorDetails | null>(null);
  const { open: notify } = useNotification();
  const create = useCreate<BaseRecord, HttpError>();
  const update = useUpdate<BaseRecord, HttpError>();
  const saving = create.mutation.isPending || update.mutation.isPending;

  const save = async (values: V) => {
    setFailure(null);
    try {
      if (id) {
        await update.mutateAsync({ resource, id, values: toRow(values), successNotification: false, errorNotification: false });
      } else {
        await create.mutateAsync({ resource, values: { ...toRow(values), service_id: serviceId }, successNotification: false, errorNotification: false });
      }
      notify?.({ type: 'success', message: text('services.show.saved') });
      onClose();
    } catch (error) {
      setFailure(errorDetails(error));
    }
  };

  return (
    <Modal
      open
      title={title}
      width={width}
      okText={text('services.editor.save')}
      cancelText={text('services.editor.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {failure && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={text('services.show.saveFailed')}
          description={[failure.message, failure.hint].filter(Boolean).join(' ')}
        />
      )}
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={(values) => void save(values)}>
        {children}
      </Form>
    </Modal>
  );
}

/** `remove(resource, id, name, content?)`: asks first, then deletes and says what happened (or why not). */
export function useRemoveRow(serviceName: string) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const { mutateAsync } = useDelete<BaseRecord, HttpError>();
  const [removing, setRemoving] = useState<string | null>(null);

  const remove = async (resource: string, id: string, name: string, content?: string) => {
    const confirmed = await confirm({
      title: text('services.show.removeTitle', { name }),
      content: content ?? text('services.show.removeContent', { name, service: serviceName }),
      okText: text('services.show.remove'),
      danger: true,
    });
    if (!confirmed) return;
    setRemoving(id);
    try {
      await mutateAsync({ resource, id, successNotification: false, errorNotification: false });
      notify?.({ type: 'success', message: text('services.show.removed', { name }) });
    } catch (error) {
      const details = errorDetails(error);
      notify?.({ type: 'error', message: text('services.show.removeFailed', { name }), description: [details.message, details.hint].filter(Boolean).join(' ') });
    } finally {
      setRemoving(null);
    }
  };
  return { remove, removing };
}
