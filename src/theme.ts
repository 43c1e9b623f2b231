// Ant Design theme: NHS blue (#005EB8) as the accent, NHS-style typography.
import type { ThemeConfig } from 'antd';

export const NHS_BLUE = '#005EB8';
export const NHS_DARK_BLUE = '#003087';

export const portalTheme: ThemeConfig = {
  token: {
    colorPrimary: NHS_BLUE,
    colorInfo: NHS_BLUE,
    colorLink: NHS_BLUE,
    colorLinkHover: NHS_DARK_BLUE,
    borderRadius: 4,
    fontFamily: 'Frutiger, Arial, "Helvetica Neue", Helvetica, sans-serif',
    colorBgLayout: '#F0F4F5',
  },
};
