// Ant Design 5 renders a few things outside the React tree (the click "wave",
// static message/notification/modal helpers) with React 18's legacy render,
// which React 19 removed. antd's documented hook for React 19 is
// unstableSetRender: give it a createRoot-based render.
import { unstableSetRender } from 'antd';
import { createRoot, type Root } from 'react-dom/client';

const roots = new WeakMap<Element | DocumentFragment, Root>();

export function installAntdReact19Render(): void {
  unstableSetRender((node, container) => {
    let root = roots.get(container);
    if (!root) {
      root = createRoot(container);
      roots.set(container, root);
    }
    root.render(node);
    return async () => {
      // Let React finish the current render before unmounting.
      await new Promise((resolve) => setTimeout(resolve, 0));
      root.unmount();
      roots.delete(container);
    };
  });
}
