// One confirmation step before anything destructive or hard to undo, on antd's
// App modal (so it inherits the theme). Resolves true for OK, false for Cancel
// or Escape. For dangerous actions the Cancel button has the focus, so Enter
// alone never does the damage.
import { App } from 'antd';
import { useMemo, type ReactNode } from 'react';

export interface ConfirmOptions {
  title: ReactNode;
  content?: ReactNode;
  /** The OK button's words: say what happens, e.g. "Disable account". */
  okText?: string;
  cancelText?: string;
  /** Red OK button, Cancel focused. */
  danger?: boolean;
}

export type ConfirmFunction = (options: ConfirmOptions) => Promise<boolean>;

/** `const confirm = useConfirmAction()` or `const { confirm } = useConfirmAction()`: both work. */
export type ConfirmAction = ConfirmFunction & { confirm: ConfirmFunction };

export function useConfirmAction(): ConfirmAction {
  const { modal } = App.useApp();
  return useMemo(() => {
    const confirm: ConfirmFunction = ({ title, content, okText = 'Confirm', cancelText = 'Cancel', danger = false }) =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title,
          content,
          okText,
          cancelText,
          okButtonProps: { danger },
          autoFocusButton: danger ? 'cancel' : 'ok',
          closable: true,
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      });
    return Object.assign(confirm, { confirm });
  }, [modal]);
}
